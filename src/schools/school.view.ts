import { NeedBreakdown } from './need';
import { SchoolStatus } from './school.entity';

/** A school as the API shows it: public register data plus its need. */
export interface SchoolView {
  urn: number;
  name: string;
  phase: string;
  status: SchoolStatus;
  laCode: string;
  laName: string;
  laGssCode: string | null;
  region: string | null;
  regionCode: string | null;
  town: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
  pupils: number | null;
  percentFsm: number | null;
  urbanRural: string | null;
  constituency: string | null;
  highNeed: boolean;
  needScore: number;
  need: NeedBreakdown;
  distanceKm?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
