import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/current-user.decorator';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DomainError } from '../common/domain-error';
import { InvitationsService } from '../invitations/invitations.service';
import { JobsService } from '../jobs/jobs.service';
import { MailService } from '../mail/mail.service';
import { SCORE_WEIGHTS, type ScoreWeights } from '../matching/score';
import { deprivationOf, needScore, outreachGapOf } from '../schools/need';
import type { AllocationInstance } from './allocation-model';
import type { SolveResult } from './allocation-solver';
import { CANDIDATE_TRIPLES, IN_REACH_COUNTS, SCOPE_REQUESTS, SLOTS } from './allocation.sql';
import { AllocationError, AllocationErrorCode } from './allocations.errors';
import {
  AllocationQueryDto,
  CreateAllocationDto,
  MAX_TIME_LIMIT_SECONDS,
} from './dto/allocation.dto';
import { CandidatePart, dealInto, mergeCandidateParts } from './candidate-parts';
import { explainShortfall, noCandidate, Shortfall, shortfallContext } from './explain';
import { SolverFailure, SolverProcess } from './solver-process';

export const ALLOCATION_QUEUE = 'allocation-run';

/**
 * How many of its best candidates by quality each request brings into the model. The others
 * count in the bound; when they might improve the answer the request is read again in full,
 * at most `MAX_WIDENINGS` times. With at most 10 volunteers wanted, 30 leave room for the
 * best candidates to be taken elsewhere.
 */
const CANDIDATES_PER_REQUEST = 30;
/** Connections that read the candidates at once. */
const CANDIDATE_READERS = 2;
const MAX_WIDENINGS = 2;

/** Gap needed to travel between two schools: as the visits' own exclusion rule. */
const TRAVEL_BUFFER_MS = 15 * 60_000;

export interface AllocationOptions {
  respectAutoInvite: boolean;
  weights: ScoreWeights;
  needWeights: { deprivation: number; outreachGap: number };
  timeLimitSeconds: number;
  relativeGap: number;
}

export interface AllocationRow {
  id: string;
  region: string | null;
  la_codes: string[] | null;
  term_starts_on: string;
  term_ends_on: string;
  options: AllocationOptions;
}

interface ScopeRequest {
  id: string;
  schoolUrn: number;
  schoolName: string;
  highNeed: boolean;
  fsmPercentile: number | null;
  autoInvite: boolean;
  sameSlot: boolean;
  volunteersWanted: number;
  confirmed: number;
  pending: number;
  lastReachedOn: Date | null;
  slotIds: string[] | null;
}

interface SlotRow {
  id: string;
  requestId: string;
  schoolUrn: number;
  termId: string;
  startsAt: number;
  endsAt: number;
}

/** The instance with what maps its indices back to rows, and what the explanations need. */
export interface PreparedAllocation {
  instance: AllocationInstance;
  scope: ScopeRequest[];
  requestIds: string[];
  slotIds: string[];
  volunteerIds: string[];
  need: number[];
  highNeed: boolean[];
  schoolUrns: number[];
  distanceKm: Float64Array;
  quality: Float64Array;
  candidateMs: number;
}

const SUMMARY = `
  a.id, a.status, a.region, a.la_codes AS "laCodes", to_char(a.term_starts_on, 'YYYY-MM-DD') AS "termStartsOn",
  to_char(a.term_ends_on, 'YYYY-MM-DD') AS "termEndsOn", a.options, a.error, a.result,
  a.created_at AS "createdAt", a.started_at AS "startedAt", a.finished_at AS "finishedAt",
  a.applied_at AS "appliedAt", (SELECT count(*) FROM allocation_proposals p WHERE p.allocation_id = a.id)::int AS proposals`;

const PROPOSALS = `
  SELECT p.request_id AS "requestId", r.school_urn AS "schoolUrn", s.name AS "schoolName",
         s.high_need AS "highNeed", p.slot_id AS "slotId", sl.starts_at AS "startsAt", sl.ends_at AS "endsAt",
         json_build_object('volunteerId', v.id, 'firstName', split_part(v.display_name, ' ', 1),
           'profession', v.profession) AS volunteer,
         round(p.distance_km::numeric, 2)::float8 AS "distanceKm", round(p.need::numeric, 4)::float8 AS need,
         round(p.quality::numeric, 4)::float8 AS quality,
         round((p.need * p.quality)::numeric, 6)::float8 AS weight,
         p.invitation_id AS "invitationId", p.skipped_reason AS "skippedReason"
  FROM allocation_proposals p
  JOIN visit_requests r ON r.id = p.request_id JOIN schools s ON s.urn = r.school_urn
  JOIN request_slots sl ON sl.id = p.slot_id JOIN volunteers v ON v.id = p.volunteer_id
  WHERE p.allocation_id = $1
  ORDER BY p.need DESC, s.urn, sl.starts_at, v.id`;

/**
 * Batch allocation: a coordinator asks for the assignment of volunteers to the open requests of
 * a region or some local authorities over a term that reaches the most need; it is worked out in
 * the background (the solver in a process of its own), kept with its proof and explanations,
 * and applied as invitations.
 */
@Injectable()
export class AllocationsService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(AllocationsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly invitations: InvitationsService,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ id: string }>({
      name: ALLOCATION_QUEUE,
      handle: ({ id }) => this.run(id),
    });
  }

  /**
   * A run still marked running long after any solver would have been stopped was cut off by
   * its instance stopping: it is marked failed, so that nobody waits for it.
   */
  async onApplicationBootstrap(): Promise<void> {
    const longestMs = MAX_TIME_LIMIT_SECONDS * 1000 + this.config.allocation.solverGraceMs;
    await this.dataSource.query(
      `UPDATE allocations SET status = 'failed', finished_at = now(),
         error = 'The run was interrupted: the service working on it stopped; start it again'
       WHERE status = 'running' AND started_at < now() - make_interval(secs => $1)`,
      [longestMs / 1000 + 60],
    );
  }

  async create(user: AuthUser, dto: CreateAllocationDto) {
    const scope = await this.resolveScope(dto);
    if (dto.termEndsOn < dto.termStartsOn) {
      throw new AllocationError(
        AllocationErrorCode.InvalidTerm,
        'termEndsOn must be on or after termStartsOn',
        'termEndsOn',
      );
    }
    const options = this.withDefaults(dto);
    if (!this.jobs.running) {
      throw new AllocationError(
        AllocationErrorCode.JobsOff,
        'Background jobs are switched off in this instance (JOBS_ENABLED=false), so no allocation can run',
      );
    }
    const [{ id }] = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO allocations (created_by, region, la_codes, term_starts_on, term_ends_on, options)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [user.id, scope.region, scope.laCodes, dto.termStartsOn, dto.termEndsOn, options],
    );
    try {
      await this.jobs.enqueue(ALLOCATION_QUEUE, { id });
    } catch (error) {
      await this.dataSource.query('DELETE FROM allocations WHERE id = $1', [id]);
      throw error;
    }
    return this.summary(id);
  }

  async list(query: AllocationQueryDto) {
    const items = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT ${SUMMARY}, count(*) OVER ()::int AS total FROM allocations a
       ORDER BY a.created_at DESC, a.id LIMIT $1 OFFSET $2`,
      [query.pageSize, (query.page - 1) * query.pageSize],
    );
    const total = items.length ? Number(items[0].total) : await this.count();
    return {
      items: items.map(({ total: _total, ...item }) => item),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async findOne(id: string) {
    const summary = await this.summary(id);
    const [proposals, [{ unassigned }]] = await Promise.all([
      this.dataSource.query(PROPOSALS, [id]),
      this.dataSource.query<{ unassigned: unknown }[]>(
        'SELECT coalesce(unassigned, $2::jsonb) AS unassigned FROM allocations WHERE id = $1',
        [id, '[]'],
      ),
    ]);
    return { ...summary, proposals, unassigned };
  }

  /**
   * Turns the proposals into invitations, in one transaction, through the school's own
   * invitation path. A proposal that can no longer be sent (the volunteer has since been booked
   * elsewhere, the request filled, a cap reached) is skipped and its reason kept. Applying again
   * changes nothing.
   */
  async apply(user: AuthUser, id: string) {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const [allocation] = await manager.query<{ status: string; applied_at: Date | null }[]>(
        'SELECT status, applied_at FROM allocations WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (!allocation) throw this.notFound(id);
      if (allocation.status !== 'succeeded') {
        throw new AllocationError(
          AllocationErrorCode.NotSucceeded,
          `Only a finished allocation can be applied; this one is ${allocation.status}`,
        );
      }
      if (allocation.applied_at) {
        return { alreadyApplied: true, appliedAt: allocation.applied_at, invited: [], skipped: [] };
      }
      const proposals = await manager.query<
        { request_id: string; slot_id: string; volunteer_id: string }[]
      >(
        `SELECT request_id, slot_id, volunteer_id FROM allocation_proposals
         WHERE allocation_id = $1 ORDER BY need * quality DESC, request_id, volunteer_id`,
        [id],
      );
      const invited: {
        requestId: string;
        slotId: string;
        volunteerId: string;
        invitationId: string;
      }[] = [];
      const skipped: {
        requestId: string;
        slotId: string;
        volunteerId: string;
        code: string;
        reason: string;
      }[] = [];
      for (const p of proposals) {
        const key = { requestId: p.request_id, slotId: p.slot_id, volunteerId: p.volunteer_id };
        await manager.query('SAVEPOINT proposal');
        try {
          const invitation = await this.invitations.inviteForSchool(
            manager,
            p.request_id,
            p.slot_id,
            p.volunteer_id,
            user.id,
          );
          await manager.query('RELEASE SAVEPOINT proposal');
          await this.recordOutcome(manager, id, p, invitation.id, null);
          invited.push({ ...key, invitationId: invitation.id });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          await manager.query('ROLLBACK TO SAVEPOINT proposal');
          await this.recordOutcome(manager, id, p, null, error.message);
          skipped.push({ ...key, code: error.code, reason: error.message });
        }
      }
      const [{ appliedAt }] = await manager.query<{ appliedAt: Date }[]>(
        `WITH applied AS (
           UPDATE allocations SET applied_at = now(), applied_by = $2 WHERE id = $1 RETURNING applied_at)
         SELECT applied_at AS "appliedAt" FROM applied`,
        [id, user.id],
      );
      return { alreadyApplied: false, appliedAt, invited, skipped };
    });
    if (outcome.invited.length) this.mail.dispatchSoon();
    return { allocationId: id, ...outcome };
  }

  /** The background job: prepares the instance, solves it in a child process, keeps the result. */
  async run(id: string): Promise<void> {
    const [row] = await this.dataSource.query<AllocationRow[]>(
      `WITH claimed AS (
         UPDATE allocations SET status = 'running', started_at = now()
         WHERE id = $1 AND status = 'queued' RETURNING *)
       SELECT id, region, la_codes, to_char(term_starts_on, 'YYYY-MM-DD') AS term_starts_on,
              to_char(term_ends_on, 'YYYY-MM-DD') AS term_ends_on, options
       FROM claimed`,
      [id],
    );
    if (!row) return;
    try {
      const { prepared, result, solverMs } = await this.compute(row);
      await this.store(id, prepared, result, solverMs);
    } catch (error) {
      const message =
        error instanceof SolverFailure
          ? error.message
          : `The allocation failed: ${error instanceof Error ? error.message : String(error)}`;
      this.logger.warn({ allocationId: id, err: error }, 'Allocation failed');
      await this.dataSource.query(
        `UPDATE allocations SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`,
        [id, message],
      );
    }
  }

  /**
   * Reads the instance and solves it. The solver's process starts first, so that it loads
   * HiGHS while the candidates are read.
   */
  async compute(row: Omit<AllocationRow, 'id'>) {
    const widened = new Set<string>();
    for (let round = 1; ; round++) {
      const outcome = await this.computeOnce(row, widened);
      const { prepared, result } = outcome;
      const more = result.widen.map((r) => prepared.requestIds[r]);
      if (!more.length || result.gap <= row.options.relativeGap || round === MAX_WIDENINGS + 1) {
        return outcome;
      }
      more.forEach((id) => widened.add(id));
    }
  }

  private async computeOnce(row: Omit<AllocationRow, 'id'>, widened: Set<string>) {
    const solver = SolverProcess.start();
    try {
      const prepared = await this.prepare(row, widened);
      const candidates = prepared.instance.triples.weight.length;
      if (candidates > this.config.allocation.maxCandidates) {
        throw new SolverFailure(
          `The instance is too large: ${candidates} candidate assignments, more than the ${this.config.allocation.maxCandidates} allowed; choose fewer local authorities or a shorter term`,
        );
      }
      const started = Date.now();
      const timeLimitMs = row.options.timeLimitSeconds * 1000;
      const result = await solver.solve(
        prepared.instance,
        { relativeGap: row.options.relativeGap, timeLimitMs },
        timeLimitMs + this.config.allocation.solverGraceMs,
      );
      return { prepared, result, solverMs: Date.now() - started };
    } finally {
      solver.stop();
    }
  }

  /**
   * Reads the scope's requests and every candidate triple, and numbers them for the solver. The
   * candidates of half the requests are read on each of two connections at once: the query is
   * CPU-bound, and the database server has more than one core.
   */
  async prepare(
    row: Omit<AllocationRow, 'id'>,
    widened: ReadonlySet<string> = new Set(),
  ): Promise<PreparedAllocation> {
    const started = Date.now();
    const { options } = row;
    const scope = await this.dataSource.query<ScopeRequest[]>(SCOPE_REQUESTS, [
      row.region,
      row.la_codes,
      row.term_starts_on,
      row.term_ends_on,
    ]);
    const eligible = scope.filter(
      (r) => r.slotIds && (!options.respectAutoInvite || r.autoInvite) && remaining(r) > 0,
    );
    const slotIds = eligible.flatMap((r) => r.slotIds!);
    const slotIndex = new Map(slotIds.map((id, i) => [id, i]));
    const { weights } = options;
    const [slots, ...parts] = await Promise.all([
      this.dataSource.query<SlotRow[]>(SLOTS, [slotIds]),
      ...dealInto(
        eligible.map((r, i) => ({ r, i })),
        CANDIDATE_READERS,
      ).map((part) =>
        this.dataSource.transaction(async (manager) => {
          // The candidate query hashes a few hundred thousand rows: let it do so in memory.
          await manager.query(`SET LOCAL work_mem = '256MB'`);
          const partSlots = part.flatMap(({ r }) => r.slotIds!);
          const [answer] = await manager.query<CandidatePart[]>(CANDIDATE_TRIPLES, [
            part.map(({ r }) => r.id),
            partSlots,
            this.config.invitations.perVolunteerPerTerm,
            weights.distance,
            weights.fit,
            weights.reliability,
            weights.newVolunteer,
            CANDIDATES_PER_REQUEST,
            [...widened],
          ]);
          return {
            ...answer,
            requestIndex: part.map(({ i }) => i),
            slotIndex: partSlots.map((id) => slotIndex.get(id)!),
          };
        }),
      ),
    ]);
    const candidates = mergeCandidateParts(parts);
    const need = eligible.map((r) =>
      needScore(
        {
          deprivation: deprivationOf(r.fsmPercentile),
          outreachGap: outreachGapOf(r.lastReachedOn),
        },
        {
          deprivationWeight: options.needWeights.deprivation,
          outreachGapWeight: options.needWeights.outreachGap,
        },
      ),
    );
    const requests: AllocationInstance['requests'] = eligible.map((r) => ({
      wanted: remaining(r),
      sameSlot: r.sameSlot,
    }));
    for (const left of candidates.leftOut) {
      requests[left.request].leftOut = {
        triples: left.pairs * eligible[left.request].slotIds!.length,
        weight: need[left.request] * left.bestQuality,
      };
    }
    const slotById = new Map(slots.map((slot) => [slot.id, slot]));
    const schoolIndex = new Map<number, number>();
    const instance: AllocationInstance = {
      requests,
      slots: slotIds.map((id) => {
        const slot = slotById.get(id)!;
        if (!schoolIndex.has(slot.schoolUrn)) schoolIndex.set(slot.schoolUrn, schoolIndex.size);
        return {
          startsAt: Number(slot.startsAt),
          endsAt: Number(slot.endsAt),
          school: schoolIndex.get(slot.schoolUrn)!,
        };
      }),
      termCaps: candidates.rooms,
      travelBufferMs: TRAVEL_BUFFER_MS,
      triples: {
        request: candidates.request,
        slot: candidates.slot,
        volunteer: candidates.volunteer,
        termCap: candidates.termCap,
        weight: candidates.quality.map((q, j) => need[candidates.request[j]] * q),
      },
    };
    return {
      instance,
      scope,
      requestIds: eligible.map((r) => r.id),
      slotIds,
      volunteerIds: candidates.volunteerIds,
      need,
      highNeed: eligible.map((r) => r.highNeed),
      schoolUrns: eligible.map((r) => r.schoolUrn),
      distanceKm: candidates.distanceKm,
      quality: candidates.quality,
      candidateMs: Date.now() - started,
    };
  }

  /** The figures of a result, as kept and shown; shared with the benchmark. */
  static figures(prepared: PreparedAllocation, result: SolveResult) {
    const { triples } = prepared.instance;
    const highNeedReached = (chosen: number[]) =>
      new Set(
        chosen
          .filter((j) => prepared.highNeed[triples.request[j]])
          .map((j) => prepared.schoolUrns[triples.request[j]]),
      ).size;
    const round = (x: number) => Math.round(x * 1e6) / 1e6;
    return {
      objective: round(result.objective),
      bound: round(result.bound),
      gap: result.gap,
      optimal: result.optimal,
      method: result.method,
      assignments: result.chosen.length,
      highNeedSchoolsReached: highNeedReached(result.chosen),
      requests: prepared.requestIds.length,
      volunteers: prepared.volunteerIds.length,
      candidates: triples.weight.length,
      candidateMs: prepared.candidateMs,
      ...result.stats,
      greedy: {
        objective: round(result.greedy.objective),
        assignments: result.greedy.chosen.length,
        highNeedSchoolsReached: highNeedReached(result.greedy.chosen),
      },
    };
  }

  private async store(
    id: string,
    prepared: PreparedAllocation,
    result: SolveResult,
    solverMs: number,
  ): Promise<void> {
    const { triples } = prepared.instance;
    const chosen = result.chosen;
    const unassigned = this.explain(prepared, result, await this.inReach(prepared));
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO allocation_proposals
           (allocation_id, request_id, slot_id, volunteer_id, distance_km, need, quality)
         SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::float8[], $6::float8[], $7::float8[])`,
        [
          id,
          chosen.map((j) => prepared.requestIds[triples.request[j]]),
          chosen.map((j) => prepared.slotIds[triples.slot[j]]),
          chosen.map((j) => prepared.volunteerIds[triples.volunteer[j]]),
          chosen.map((j) => prepared.distanceKm[j]),
          chosen.map((j) => prepared.need[triples.request[j]]),
          chosen.map((j) => prepared.quality[j]),
        ],
      );
      await manager.query(
        `UPDATE allocations SET status = 'succeeded', finished_at = now(), result = $2, unassigned = $3
         WHERE id = $1`,
        [
          id,
          { ...AllocationsService.figures(prepared, result), solverMs },
          JSON.stringify(unassigned),
        ],
      );
    });
  }

  /** For the requests that got no candidate at all: how many volunteers are in reach. */
  private async inReach(prepared: PreparedAllocation) {
    const withCandidates = new Set(prepared.instance.triples.request);
    const without = prepared.requestIds.filter((_, r) => !withCandidates.has(r));
    if (!without.length) return new Map<string, number>();
    const rows = await this.dataSource.query<{ id: string; in_reach: number }[]>(IN_REACH_COUNTS, [
      without,
    ]);
    return new Map(rows.map((row) => [row.id, row.in_reach]));
  }

  /** Every open request in scope that gets fewer volunteers than it wants, and why. */
  private explain(prepared: PreparedAllocation, result: SolveResult, inReach: Map<string, number>) {
    const { triples } = prepared.instance;
    const proposed = new Map<string, number>();
    for (const j of result.chosen) {
      const id = prepared.requestIds[triples.request[j]];
      proposed.set(id, (proposed.get(id) ?? 0) + 1);
    }
    const index = new Map(prepared.requestIds.map((id, r) => [id, r]));
    const withCandidates = new Set(triples.request);
    const context = shortfallContext(prepared.instance, result.chosen);
    return prepared.scope.flatMap((request) => {
      const r = index.get(request.id);
      const wanted = remaining(request);
      const got = proposed.get(request.id) ?? 0;
      let shortfall: Shortfall;
      if (r === undefined) {
        if (!request.slotIds) {
          shortfall = {
            code: 'fixed_slot_outside_term',
            message:
              'Its volunteers come together, and the first is confirmed at a time outside this term',
          };
        } else if (wanted <= 0) {
          shortfall = {
            code: 'awaiting_answers',
            message: `Waiting for answers to ${request.pending} invitation(s) already sent`,
          };
        } else {
          shortfall = {
            code: 'not_opted_in',
            message: 'The school has not agreed to invitations sent on its behalf',
          };
        }
      } else if (got >= wanted) {
        return [];
      } else if (!withCandidates.has(r)) {
        shortfall = noCandidate(inReach.get(request.id) ?? 0);
      } else {
        shortfall = explainShortfall(prepared.instance, context, r, (k) => prepared.need[k]);
      }
      return [
        {
          requestId: request.id,
          schoolUrn: request.schoolUrn,
          schoolName: request.schoolName,
          highNeed: request.highNeed,
          wanted: Math.max(wanted, 0),
          proposed: got,
          ...shortfall,
        },
      ];
    });
  }

  private async recordOutcome(
    manager: EntityManager,
    allocationId: string,
    p: { request_id: string; volunteer_id: string },
    invitationId: string | null,
    skippedReason: string | null,
  ) {
    await manager.query(
      `UPDATE allocation_proposals SET invitation_id = $4, skipped_reason = $5
       WHERE allocation_id = $1 AND request_id = $2 AND volunteer_id = $3`,
      [allocationId, p.request_id, p.volunteer_id, invitationId, skippedReason],
    );
  }

  private async summary(id: string) {
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT ${SUMMARY} FROM allocations a WHERE a.id = $1`,
      [id],
    );
    if (!row) throw this.notFound(id);
    return row;
  }

  private async count(): Promise<number> {
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      'SELECT count(*)::int AS total FROM allocations',
    );
    return total;
  }

  private async resolveScope(dto: CreateAllocationDto) {
    if ((dto.region === undefined) === (dto.laCodes === undefined)) {
      throw new AllocationError(
        AllocationErrorCode.InvalidScope,
        'Give either region or laCodes, not both',
        'region',
      );
    }
    if (dto.region !== undefined) {
      const [row] = await this.dataSource.query<{ region: string }[]>(
        'SELECT region FROM schools WHERE region = $1 OR region_code = $1 LIMIT 1',
        [dto.region],
      );
      if (!row) {
        throw new AllocationError(
          AllocationErrorCode.InvalidScope,
          `No region is called ${dto.region}`,
          'region',
        );
      }
      return { region: row.region, laCodes: null };
    }
    const codes = [...new Set(dto.laCodes)];
    const rows = await this.dataSource.query<{ la_code: string; la_gss_code: string | null }[]>(
      `SELECT DISTINCT la_code, la_gss_code FROM schools
       WHERE la_code = ANY ($1::text[]) OR la_gss_code = ANY ($1::text[])`,
      [codes],
    );
    const unknown = codes.filter((c) => !rows.some((r) => r.la_code === c || r.la_gss_code === c));
    if (unknown.length) {
      throw new AllocationError(
        AllocationErrorCode.InvalidScope,
        `Unknown local authority code(s): ${unknown.join(', ')}`,
        'laCodes',
      );
    }
    return { region: null, laCodes: [...new Set(rows.map((r) => r.la_code))].sort() };
  }

  private withDefaults(dto: CreateAllocationDto): AllocationOptions {
    const given = dto.options ?? {};
    const weights = given.weights ?? { ...SCORE_WEIGHTS };
    const needWeights = given.needWeights ?? {
      deprivation: this.config.need.deprivationWeight,
      outreachGap: this.config.need.outreachGapWeight,
    };
    if (Object.values(weights).every((w) => w === 0)) {
      throw new AllocationError(
        AllocationErrorCode.InvalidWeights,
        'At least one quality weight must be above 0',
        'options.weights',
      );
    }
    if (Object.values(needWeights).every((w) => w === 0)) {
      throw new AllocationError(
        AllocationErrorCode.InvalidWeights,
        'At least one need weight must be above 0',
        'options.needWeights',
      );
    }
    return {
      respectAutoInvite: given.respectAutoInvite ?? true,
      weights,
      needWeights,
      timeLimitSeconds: given.timeLimitSeconds ?? 60,
      relativeGap: given.relativeGap ?? 0,
    };
  }

  private notFound(id: string) {
    return new AllocationError(AllocationErrorCode.NotFound, `No allocation ${id}`, 'id');
  }
}

/** Volunteers a request may still be sent: not yet confirmed, nor waiting for an answer. */
function remaining(r: ScopeRequest): number {
  return r.volunteersWanted - r.confirmed - r.pending;
}
