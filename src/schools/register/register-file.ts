import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import {
  fromGiasRow,
  fromNormalisedRow,
  RawRow,
  RegisterLookups,
  RegisterRecord,
  RowError,
} from './register-record';

export type RegisterFormat = 'normalised' | 'gias';

export interface RejectedRow {
  line: number;
  reason: string;
}

/** An edition of the register, read and checked row by row, before it touches the database. */
export interface RegisterEdition {
  format: RegisterFormat;
  encoding: 'utf-8' | 'windows-1252';
  records: RegisterRecord[];
  rejected: RejectedRow[];
  skipped: Record<string, number>;
}

export class RegisterFileError extends Error {}

/** GIAS downloads are Windows-1252; our own files are UTF-8. Valid UTF-8 is taken as UTF-8. */
export function decodeRegister(buffer: Buffer): {
  text: string;
  encoding: RegisterEdition['encoding'];
} {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
    return { text: text.replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(buffer, 'win1252'), encoding: 'windows-1252' };
  }
}

export function detectFormat(header: string[]): RegisterFormat {
  if (header.includes('URN') && header.includes('EstablishmentName')) return 'gias';
  if (header.includes('urn') && header.includes('name')) return 'normalised';
  throw new RegisterFileError(
    'unrecognised header: expected a GIAS "all establishment data" file (URN, EstablishmentName, …) ' +
      'or the normalised register (urn, name, phase, la_code, …)',
  );
}

export function parseRegister(buffer: Buffer, lookups: RegisterLookups): RegisterEdition {
  const { text, encoding } = decodeRegister(buffer);
  let rows: { record: RawRow; raw: string; info: { lines: number } }[];
  try {
    rows = parse(text, {
      columns: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new RegisterFileError(`not a readable CSV file: ${(error as Error).message}`);
  }
  if (rows.length === 0) throw new RegisterFileError('the file holds no rows');
  const format = detectFormat(Object.keys(rows[0].record));
  const toRecord = format === 'gias' ? fromGiasRow : fromNormalisedRow;

  const edition: RegisterEdition = { format, encoding, records: [], rejected: [], skipped: {} };
  const firstLineOfUrn = new Map<number, number>();
  for (const { record, raw, info } of rows) {
    // csv-parse counts lines up to the end of a record; a quoted field may span several, and
    // the raw text may start with skipped empty lines.
    const spanned = raw
      .replace(/^(\r?\n)+/, '')
      .replace(/\r?\n$/, '')
      .match(/\n/g);
    const line = info.lines - (spanned?.length ?? 0);
    try {
      const result = toRecord(record, lookups);
      if ('skip' in result) {
        edition.skipped[result.skip] = (edition.skipped[result.skip] ?? 0) + 1;
        continue;
      }
      const first = firstLineOfUrn.get(result.urn);
      if (first !== undefined)
        throw new RowError(`URN ${result.urn} already appears on line ${first}`);
      firstLineOfUrn.set(result.urn, line);
      edition.records.push(result);
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      edition.rejected.push({ line, reason: error.message });
    }
  }
  return edition;
}

export async function readRegisterFile(
  path: string,
  lookups: RegisterLookups,
): Promise<RegisterEdition> {
  return parseRegister(await readFile(path), lookups);
}
