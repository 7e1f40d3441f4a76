import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/current-user.decorator';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { InvitationsService } from '../invitations/invitations.service';
import { JobsService } from '../jobs/jobs.service';
import { MailService } from '../mail/mail.service';
import { addDays } from '../calendar/london-time';
import { SCORE_WEIGHTS } from '../matching/score';
import { ALLOCATION_QUEUE, type AllocationOptions } from './allocation-runner';
import { AllocationError, AllocationErrorCode } from './allocations.errors';
import { AllocationQueryDto, CreateAllocationDto } from './dto/allocation.dto';

/** The longest period one run may plan: a school year. */
const MAX_TERM_DAYS = 366;

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
 * Batch allocation for coordinators: runs are asked for here and worked out in the background
 * (`AllocationRunner`); a finished run is shown with its proof and explanations, and applied as
 * the schools' invitations.
 */
@Injectable()
export class AllocationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly invitations: InvitationsService,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(user: AuthUser, dto: CreateAllocationDto) {
    const scope = await this.resolveScope(dto);
    if (dto.termEndsOn < dto.termStartsOn) {
      throw new AllocationError(
        AllocationErrorCode.InvalidTerm,
        'termEndsOn must be on or after termStartsOn',
        'termEndsOn',
      );
    }
    if (addDays(dto.termStartsOn, MAX_TERM_DAYS) < dto.termEndsOn) {
      throw new AllocationError(
        AllocationErrorCode.InvalidTerm,
        `termEndsOn must be at most ${MAX_TERM_DAYS} days after termStartsOn`,
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
        'SELECT region FROM schools WHERE lower(region) = lower($1) OR region_code = $1 LIMIT 1',
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
