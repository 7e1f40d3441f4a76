import { parsePostcode } from '../../postcodes/postcode';
import { PRIMARY_PHASES, SchoolStatus } from '../school.entity';
import { gridToLatLng } from './british-national-grid';

/** One school as read from an edition of the register, ready to be upserted. */
export interface RegisterRecord {
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
}

/** Reference data that fills what a raw GIAS row lacks. */
export interface RegisterLookups {
  localAuthority(
    laCode: string,
  ): { gssCode: string; regionCode: string; region: string } | undefined;
  regionCode(region: string): string | undefined;
  outcodeCentroid(outcode: string): { latitude: number; longitude: number } | undefined;
}

/** A row kept out of the import on purpose, e.g. a secondary school in a full GIAS download. */
export interface Skip {
  skip: string;
}

export class RowError extends Error {}

export type RawRow = Record<string, string | undefined>;

/** Our normalised CSV (the format of `data/primary-schools-england.csv`). */
export function fromNormalisedRow(row: RawRow, lookups: RegisterLookups): RegisterRecord | Skip {
  const phase = text(row.phase);
  if (!isPrimaryPhase(phase)) return { skip: 'not a primary school' };
  const status =
    text(row.status)?.toLowerCase() === SchoolStatus.Closed
      ? SchoolStatus.Closed
      : SchoolStatus.Open;
  const laCode = requireLaCode(row.la_code);
  const la = lookups.localAuthority(laCode);
  const region = text(row.region) ?? la?.region ?? null;
  return {
    urn: requireUrn(row.urn),
    name: requireText(row.name, 'name'),
    phase: phase!,
    status,
    laCode,
    laName: requireText(row.la_name, 'LA name'),
    laGssCode: text(row.la_gss_code) ?? la?.gssCode ?? null,
    region,
    regionCode: text(row.region_code) ?? (region ? lookups.regionCode(region) : undefined) ?? null,
    town: text(row.town),
    postcode: normalisePostcode(row.postcode),
    ...locate(row, lookups),
    pupils: wholeNumber(row.number_of_pupils, 'number of pupils'),
    percentFsm: percentage(row.percent_fsm, 'FSM percentage'),
    urbanRural: text(row.urban_rural),
    constituency: text(row.parliamentary_constituency_pre2024) ?? text(row.constituency),
  };
}

const NOT_STATE_FUNDED = new Set([
  'Independent schools',
  'Universities',
  'Colleges',
  'Online provider',
  'Other types',
  'Welsh schools',
]);

/** A row of the DfE's "all establishment data" download from GIAS. */
export function fromGiasRow(row: RawRow, lookups: RegisterLookups): RegisterRecord | Skip {
  const phase = text(row['PhaseOfEducation (name)']);
  if (!isPrimaryPhase(phase)) return { skip: 'not a primary school' };
  const group = text(row['EstablishmentTypeGroup (name)']);
  if (group && NOT_STATE_FUNDED.has(group)) return { skip: 'not state-funded' };
  const statusName = text(row['EstablishmentStatus (name)']) ?? '';
  if (/^proposed to open/i.test(statusName)) return { skip: 'not open yet' };
  const status = /^open/i.test(statusName) ? SchoolStatus.Open : SchoolStatus.Closed;

  const laCode = requireLaCode(row['LA (code)']);
  const la = lookups.localAuthority(laCode);
  const gor = text(row['GOR (name)']);
  const regionCode = gor ? lookups.regionCode(gor) : undefined;
  const region = regionCode ? gor! : (la?.region ?? null);
  return {
    urn: requireUrn(row.URN),
    name: requireText(row.EstablishmentName, 'EstablishmentName'),
    phase: phase!,
    status,
    laCode,
    laName: requireText(row['LA (name)'], 'LA (name)'),
    laGssCode: la?.gssCode ?? null,
    region,
    regionCode: regionCode ?? la?.regionCode ?? null,
    town: text(row.Town),
    postcode: normalisePostcode(row.Postcode),
    ...locate({ easting: row.Easting, northing: row.Northing, postcode: row.Postcode }, lookups),
    pupils: wholeNumber(row.NumberOfPupils, 'NumberOfPupils'),
    percentFsm: percentage(row.PercentageFSM, 'PercentageFSM'),
    urbanRural: text(row['UrbanRural (name)']),
    constituency: text(row['ParliamentaryConstituency (name)']),
  };
}

function isPrimaryPhase(phase: string | null): boolean {
  return (PRIMARY_PHASES as readonly string[]).includes(phase ?? '');
}

function text(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function requireText(value: string | undefined, label: string): string {
  const result = text(value);
  if (!result) throw new RowError(`${label} is missing`);
  return result;
}

function requireUrn(value: string | undefined): number {
  const raw = text(value);
  if (!raw || !/^\d{1,9}$/.test(raw) || Number(raw) === 0) {
    throw new RowError(`URN "${raw ?? ''}" is not a positive whole number`);
  }
  return Number(raw);
}

function requireLaCode(value: string | undefined): string {
  const raw = text(value);
  if (!raw || !/^\d{3}$/.test(raw))
    throw new RowError(`LA code "${raw ?? ''}" is not three digits`);
  return raw;
}

function normalisePostcode(value: string | undefined): string | null {
  const raw = text(value);
  if (!raw) return null;
  return parsePostcode(raw)?.postcode ?? null;
}

/** GIAS writes "SUPP" or "" for suppressed or unknown figures. */
function isUnknown(raw: string | null): boolean {
  return raw === null || /^(supp|n\/?a|x)$/i.test(raw);
}

function wholeNumber(value: string | undefined, label: string): number | null {
  const raw = text(value);
  if (isUnknown(raw)) return null;
  if (!/^\d+$/.test(raw!)) throw new RowError(`${label} "${raw}" is not a whole number`);
  return Number(raw);
}

function percentage(value: string | undefined, label: string): number | null {
  const raw = text(value);
  if (isUnknown(raw)) return null;
  const number = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw!) || number > 100) {
    throw new RowError(`${label} "${raw}" is not a percentage between 0 and 100`);
  }
  return Math.round(number * 10) / 10;
}

/** Coordinates from latitude/longitude, else easting/northing, else the postcode district. */
function locate(
  row: RawRow,
  lookups: RegisterLookups,
): { latitude: number | null; longitude: number | null } {
  const lat = text(row.latitude);
  const lng = text(row.longitude);
  if (lat && lng) {
    const latitude = Number(lat);
    const longitude = Number(lng);
    if (!(latitude >= 49 && latitude <= 61 && longitude >= -9 && longitude <= 2)) {
      throw new RowError(`latitude/longitude "${lat}, ${lng}" is not in Great Britain`);
    }
    return { latitude, longitude };
  }
  const east = text(row.easting);
  const north = text(row.northing);
  if (east && north) {
    const easting = Number(east);
    const northing = Number(north);
    if (!(easting >= 0 && easting <= 700_000 && northing >= 0 && northing <= 1_300_000)) {
      throw new RowError(`easting/northing "${east}, ${north}" is not on the National Grid`);
    }
    return gridToLatLng(easting, northing);
  }
  const postcode = parsePostcode(text(row.postcode) ?? '');
  const centroid = postcode && lookups.outcodeCentroid(postcode.outcode);
  return centroid
    ? { latitude: centroid.latitude, longitude: centroid.longitude }
    : { latitude: null, longitude: null };
}
