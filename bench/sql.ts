import { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../src/auth/current-user.decorator';
import type { AppConfig } from '../src/config/config';
import { MatchingService } from '../src/matching/matching.service';
import { OpportunitiesService } from '../src/matching/opportunities.service';
import { Role } from '../src/users/user.entity';
import type { VolunteersService } from '../src/volunteers/volunteers.service';
import { Activity, VisitFormat } from '../src/volunteers/volunteer.enums';

export interface Query {
  sql: string;
  params: unknown[];
}

/**
 * The services build their SQL inline; running them against a recording stand-in for the
 * database gives the exact text and parameters they send, so the bare server and the SQL-only
 * measurements can never drift from what the service runs.
 */
function recorder(queries: Query[]) {
  return {
    query: (sql: string, params: unknown[] = []) => {
      queries.push({ sql, params });
      return Promise.resolve([]);
    },
  };
}

/** The one query that ranks the candidates of an open in-person request (for EXPLAIN). */
export function inPersonCandidatesQuery(requestId: string, limit: number): Query {
  const queries: Query[] = [];
  const service = Object.create(MatchingService.prototype) as MatchingService;
  void service.rankFor(
    recorder(queries) as unknown as EntityManager,
    { id: requestId, activity: Activity.CareersTalk, format: VisitFormat.InPerson },
    limit,
  );
  return queries[0];
}

/**
 * Ranks the candidates of an open request exactly as the service does (a virtual request may
 * take two queries), on a plain `pg` pool.
 */
export function rankCandidates(
  pool: Pool,
  request: { id: string; activity: Activity; format: VisitFormat },
  limit: number,
): Promise<{ id: string }[]> {
  const service = Object.create(MatchingService.prototype) as MatchingService;
  const runner = {
    query: (sql: string, params: unknown[]) => pool.query(sql, params).then(({ rows }) => rows),
  };
  return service.rankFor(runner as unknown as EntityManager, request, limit);
}

/** The two queries of `GET /volunteers/me/opportunities`, for one volunteer. */
export async function opportunitiesQueries(
  volunteerId: string,
  config: AppConfig,
): Promise<Query[]> {
  const queries: Query[] = [];
  const volunteers = { mine: () => Promise.resolve({ id: volunteerId }) };
  const service = new OpportunitiesService(
    recorder(queries) as unknown as DataSource,
    volunteers as unknown as VolunteersService,
    config,
  );
  const user: AuthUser = { id: volunteerId, email: '', role: Role.Volunteer };
  await service.forVolunteer(user);
  return queries;
}
