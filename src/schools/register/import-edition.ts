import { DataSource, EntityManager } from 'typeorm';
import { RegisterEdition, RejectedRow } from './register-file';
import { RegisterRecord } from './register-record';

export interface ImportSummary {
  format: RegisterEdition['format'];
  encoding: RegisterEdition['encoding'];
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  closed: number;
  rejected: RejectedRow[];
  skipped: Record<string, number>;
}

export interface ImportOptions {
  progress?: ImportProgress;
  /**
   * An edition that would close more than a tenth of the open schools is most likely a partial
   * file (one region, one phase); it is refused unless this is set.
   */
  allowMassClosure?: boolean;
}

const MASS_CLOSURE_SHARE = 0.1;

export class MassClosureError extends Error {}

export interface ImportProgress {
  start(total: number): void;
  advance(rows: number): void;
  stop(): void;
}

const BATCH_SIZE = 2000;

/** Column name and PostgreSQL array type of each field, in the order they are staged. */
const STAGED: [keyof RegisterRecord, string, string][] = [
  ['urn', 'urn', 'integer'],
  ['name', 'name', 'text'],
  ['phase', 'phase', 'text'],
  ['status', 'status', 'school_status'],
  ['laCode', 'la_code', 'varchar'],
  ['laName', 'la_name', 'text'],
  ['laGssCode', 'la_gss_code', 'varchar'],
  ['region', 'region', 'text'],
  ['regionCode', 'region_code', 'varchar'],
  ['town', 'town', 'text'],
  ['postcode', 'postcode', 'varchar'],
  ['latitude', 'latitude', 'double precision'],
  ['longitude', 'longitude', 'double precision'],
  ['pupils', 'pupils', 'integer'],
  ['percentFsm', 'percent_fsm', 'numeric'],
  ['urbanRural', 'urban_rural', 'text'],
  ['constituency', 'constituency', 'text'],
];
const COLUMNS = STAGED.map(([, column]) => column);

/**
 * Imports an edition of the DfE register in one transaction: upserts by URN, closes (never
 * deletes) the schools the edition no longer lists as open, and recomputes deprivation.
 */
export async function importEdition(
  dataSource: DataSource,
  edition: RegisterEdition,
  { progress, allowMassClosure = false }: ImportOptions = {},
): Promise<ImportSummary> {
  const counts = await dataSource.transaction(async (manager) => {
    await stage(manager, edition.records, progress);
    const [{ open }] = await manager.query<{ open: number }[]>(
      `SELECT count(*)::int AS open FROM schools WHERE status = 'open'`,
    );
    const closed = await closeSchoolsNotOpenInEdition(manager);
    if (!allowMassClosure && closed > open * MASS_CLOSURE_SHARE) {
      throw new MassClosureError(
        `this edition would close ${closed} of the ${open} open schools; nothing was imported. ` +
          'If it really is a complete edition, import it again allowing mass closure',
      );
    }
    const { inserted, updated } = await upsertStaged(manager);
    await recomputeDeprivation(manager);
    return { closed, inserted, updated };
  });
  return {
    format: edition.format,
    encoding: edition.encoding,
    rows: edition.records.length,
    ...counts,
    unchanged: edition.records.length - counts.inserted - counts.updated,
    rejected: edition.rejected,
    skipped: edition.skipped,
  };
}

async function stage(manager: EntityManager, records: RegisterRecord[], progress?: ImportProgress) {
  await manager.query(`
    CREATE TEMP TABLE school_edition ON COMMIT DROP AS
    SELECT ${COLUMNS.join(', ')} FROM schools WITH NO DATA`);
  const unnest = STAGED.map(([, , type], i) => `$${i + 1}::${type}[]`).join(', ');
  progress?.start(records.length);
  for (let from = 0; from < records.length; from += BATCH_SIZE) {
    const batch = records.slice(from, from + BATCH_SIZE);
    await manager.query(
      `INSERT INTO school_edition (${COLUMNS.join(', ')}) SELECT * FROM unnest(${unnest})`,
      STAGED.map(([field]) => batch.map((record) => record[field])),
    );
    progress?.advance(batch.length);
  }
  progress?.stop();
}

/** Schools open now that the edition omits or lists as closed: closed, with their history kept. */
async function closeSchoolsNotOpenInEdition(manager: EntityManager): Promise<number> {
  const [, closed] = await manager.query<[unknown, number]>(`
    UPDATE schools s SET status = 'closed', closed_at = now(), updated_at = now()
    WHERE s.status = 'open'
      AND NOT EXISTS (SELECT 1 FROM school_edition e WHERE e.urn = s.urn AND e.status = 'open')`);
  return closed;
}

async function upsertStaged(
  manager: EntityManager,
): Promise<{ inserted: number; updated: number }> {
  const updatable = COLUMNS.filter((column) => column !== 'urn');
  const [counts] = await manager.query<{ inserted: number; updated: number }[]>(`
    WITH upserted AS (
      INSERT INTO schools AS s (${COLUMNS.join(', ')}, closed_at)
      SELECT ${COLUMNS.join(', ')}, CASE WHEN status = 'closed' THEN now() END FROM school_edition
      ON CONFLICT (urn) DO UPDATE SET
        ${updatable.map((column) => `${column} = EXCLUDED.${column}`).join(',\n          ')},
        closed_at = CASE WHEN EXCLUDED.status = 'closed' THEN coalesce(s.closed_at, now()) END,
        updated_at = now()
      WHERE (${updatable.map((column) => `s.${column}`).join(', ')})
        IS DISTINCT FROM (${updatable.map((column) => `EXCLUDED.${column}`).join(', ')})
      RETURNING xmax = 0 AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted)::int AS inserted,
           count(*) FILTER (WHERE NOT inserted)::int AS updated
    FROM upserted`);
  return counts;
}

/**
 * The deprivation percentile of each open school is percent_rank() of its FSM percentage among
 * open schools that have one; high-need means at or above their 80th percentile
 * (percentile_cont). Schools that are closed or have no FSM figure get no percentile and are
 * never high-need.
 */
export async function recomputeDeprivation(manager: EntityManager): Promise<void> {
  await manager.query(`
    WITH ranked AS (
      SELECT urn, percent_rank() OVER (ORDER BY percent_fsm) AS percentile
      FROM schools WHERE status = 'open' AND percent_fsm IS NOT NULL
    ), threshold AS (
      SELECT percentile_cont(0.8) WITHIN GROUP (ORDER BY percent_fsm) AS p80
      FROM schools WHERE status = 'open' AND percent_fsm IS NOT NULL
    ), computed AS (
      SELECT s.urn, r.percentile,
             coalesce(r.urn IS NOT NULL AND s.percent_fsm >= t.p80, false) AS high_need
      FROM schools s LEFT JOIN ranked r USING (urn) CROSS JOIN threshold t
    )
    UPDATE schools s SET fsm_percentile = c.percentile, high_need = c.high_need
    FROM computed c
    WHERE c.urn = s.urn
      AND (s.fsm_percentile IS DISTINCT FROM c.percentile OR s.high_need IS DISTINCT FROM c.high_need)`);
}
