import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { JobsService } from '../jobs/jobs.service';
import { type ScoreWeights } from '../matching/score';
import { deprivationOf, needScore, outreachGapOf } from '../schools/need';
import type { AllocationInstance } from './allocation-model';
import type { SolveResult } from './allocation-solver';
import { CANDIDATE_TRIPLES, IN_REACH_COUNTS, SCOPE_REQUESTS, SLOTS } from './allocation.sql';
import { CandidatePart, dealInto, mergeCandidateParts } from './candidate-parts';
import { MAX_TIME_LIMIT_SECONDS } from './dto/allocation.dto';
import { explainShortfall, noCandidate, Shortfall, shortfallContext } from './explain';
import { SolverFailure, SolverProcess } from './solver-process';

export const ALLOCATION_QUEUE = 'allocation-run';

/**
 * How many of its best candidates by quality each request brings into the model. The others
 * count in the bound; when they might improve the answer, the request is read again with
 * `WIDENING_FACTOR` times as many, then in full (`MAX_WIDENINGS`). Twice the most volunteers a
 * request may want leaves room for its best candidates to be taken elsewhere.
 */
const CANDIDATES_PER_REQUEST = 20;
const WIDENING_FACTOR = 5;
const MAX_WIDENINGS = 2;

/** Requests read with more candidates than the rest, and how many times they were widened. */
type Widened = Map<string, number>;

/** Connections that read the candidates at once. */
const CANDIDATE_READERS = 2;
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
  schoolUrn: number;
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

/**
 * The background side of batch allocation: a queued run reads the scope's requests and their
 * candidates, solves in a child process, and keeps the proposals with the proof, the greedy
 * comparison and why requests were left short.
 */
@Injectable()
export class AllocationRunner implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(AllocationRunner.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
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
    const widened: Widened = new Map();
    for (let round = 1; ; round++) {
      const outcome = await this.computeOnce(row, widened);
      const { prepared, result } = outcome;
      const more = result.widen.map((r) => prepared.requestIds[r]);
      if (!more.length || result.gap <= row.options.relativeGap || round === MAX_WIDENINGS + 1) {
        return outcome;
      }
      more.forEach((id) => widened.set(id, (widened.get(id) ?? 0) + 1));
    }
  }

  private async computeOnce(row: Omit<AllocationRow, 'id'>, widened: Widened) {
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
    widened: Widened = new Map(),
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
            [...widened].filter(([, times]) => times === 1).map(([id]) => id),
            CANDIDATES_PER_REQUEST * WIDENING_FACTOR,
            [...widened].filter(([, times]) => times > 1).map(([id]) => id),
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
          { ...AllocationRunner.figures(prepared, result), solverMs },
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
}

/** Volunteers a request may still be sent: not yet confirmed, nor waiting for an answer. */
function remaining(r: ScopeRequest): number {
  return r.volunteersWanted - r.confirmed - r.pending;
}
