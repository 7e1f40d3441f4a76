import { SchoolStatus } from '../school.entity';

export class NeedWeightsDto {
  deprivationWeight: number;
  outreachGapWeight: number;
}

export class NeedBreakdownDto {
  /** National percentile of the school's FSM percentage, in [0, 1] (0.5 when unknown). */
  deprivation: number;
  /** 1 when the school has had no completed visit in the last 12 months, else 0. */
  outreachGap: number;
  weights: NeedWeightsDto;
}

/** A school as the API shows it: public register data plus its need. */
export class SchoolDto {
  /** DfE Unique Reference Number. */
  urn: number;
  name: string;
  /** `Primary` or `Middle deemed primary`. */
  phase: string;
  status: SchoolStatus;
  /** DfE three-digit local authority code. */
  laCode: string;
  laName: string;
  /** ONS code of the local authority (E06/E08/E09/E10…). */
  laGssCode: string | null;
  region: string | null;
  /** ONS region code (E12…). */
  regionCode: string | null;
  town: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
  pupils: number | null;
  /** Pupils eligible for free school meals, %. */
  percentFsm: number | null;
  urbanRural: string | null;
  /** Westminster constituency (pre-2024 boundaries). */
  constituency: string | null;
  /** FSM percentage at or above the national 80th percentile. */
  highNeed: boolean;
  /** Need score in [0, 1]; `need` gives its breakdown. */
  needScore: number;
  need: NeedBreakdownDto;
  /** Distance from the searched postcode, in km (distance searches only). */
  distanceKm?: number;
}

export class SchoolPageDto {
  items: SchoolDto[];
  total: number;
  page: number;
  pageSize: number;
}
