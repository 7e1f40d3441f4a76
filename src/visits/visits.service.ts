import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/current-user.decorator';
import { visitCalendar } from '../calendar/ics';
import { MailService } from '../mail/mail.service';
import { MembershipsService } from '../memberships/memberships.service';
import { RequestStatus, VisitRequest } from '../requests/visit-request.entity';
import { Role } from '../users/user.entity';
import { VisitDto } from './dto/visit.dto';
import { FeedbackSide, VisitFeedback } from './visit-feedback.entity';
import { Visit, VisitStatus } from './visit.entity';
import { VisitError, VisitErrorCode } from './visits.errors';
import { pgErrorCode } from '../database/pg-error';

type Party = FeedbackSide | 'coordinator';

/** Confirmed visits: reading them, calling them off, recording that they happened, feedback. */
@Injectable()
export class VisitsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly memberships: MembershipsService,
    private readonly mail: MailService,
  ) {}

  async get(user: AuthUser, id: string): Promise<VisitDto> {
    const manager = this.dataSource.manager;
    const visit = await this.find(manager, id);
    await this.partyOf(manager, user, visit);
    return this.view(manager, id);
  }

  /** The signed-in volunteer's visits, the next one first, then past ones newest first. */
  listForVolunteer(user: AuthUser): Promise<VisitDto[]> {
    return this.views(
      this.dataSource.manager,
      'x.volunteer_id = (SELECT id FROM volunteers WHERE user_id = $1)',
      [user.id],
    );
  }

  /** A school's visits, for its members and coordinators; others are told 404. */
  async listForSchool(user: AuthUser, urn: number): Promise<VisitDto[]> {
    const manager = this.dataSource.manager;
    await this.memberships.assertMemberOrCoordinator(manager, user, urn);
    return this.views(manager, 'x.school_urn = $1', [urn]);
  }

  async cancel(user: AuthUser, id: string, reason: string): Promise<VisitDto> {
    const view = await this.dataSource.transaction(async (manager) => {
      const visit = await this.find(manager, id, true);
      const party = await this.partyOf(manager, user, visit);
      if (visit.status !== VisitStatus.Confirmed) {
        throw new VisitError(VisitErrorCode.NotConfirmed, `This visit is ${visit.status}`);
      }
      if (visit.startsAt <= new Date()) {
        throw new VisitError(
          VisitErrorCode.AlreadyStarted,
          'A visit that has started cannot be cancelled',
        );
      }
      await manager.update(Visit, id, {
        status: VisitStatus.Cancelled,
        cancelReason: reason,
        cancelledBy: party,
      });
      // The request can take another volunteer again.
      if (visit.requestId) {
        await manager.update(
          VisitRequest,
          { id: visit.requestId, status: RequestStatus.Filled },
          { status: RequestStatus.Open },
        );
      }
      const result = await this.view(manager, id);
      const recipients =
        party === FeedbackSide.Volunteer ? result.school.contacts : [result.volunteer.email];
      await this.mail.enqueue(
        manager,
        recipients
          .filter((to): to is string => !!to)
          .map((to) => ({
            to,
            subject: `Visit cancelled: ${result.school.name}, ${result.startsAt.toUTCString()}`,
            body: `The visit of ${result.volunteer.displayName.split(' ')[0]} to ${result.school.name} on ${result.startsAt.toUTCString()} is cancelled.\n\nReason: ${reason}\n`,
          })),
      );
      return result;
    });
    this.mail.dispatchSoon();
    return view;
  }

  /** The school records that the visit happened, and how many pupils it reached. */
  complete(user: AuthUser, id: string, pupilsReached: number): Promise<VisitDto> {
    return this.dataSource.transaction(async (manager) => {
      const visit = await this.find(manager, id, true);
      const party = await this.partyOf(manager, user, visit);
      if (party !== FeedbackSide.School) throw this.notFound(id);
      if (visit.status !== VisitStatus.Confirmed) {
        throw new VisitError(VisitErrorCode.NotConfirmed, `This visit is ${visit.status}`);
      }
      if (visit.startsAt > new Date()) {
        throw new VisitError(
          VisitErrorCode.NotYetHappened,
          'A visit can be marked done once it has started',
        );
      }
      await manager.update(Visit, id, { status: VisitStatus.Completed, pupilsReached });
      if (visit.requestId) {
        await manager.query(
          `UPDATE visit_requests r SET status = 'completed', updated_at = now()
           WHERE r.id = $1 AND r.status = 'filled' AND NOT EXISTS (
             SELECT 1 FROM visits x WHERE x.request_id = r.id AND x.status = 'confirmed')`,
          [visit.requestId],
        );
      }
      return this.view(manager, id);
    });
  }

  /** Each side once: a rating from 1 to 5 and a comment. */
  async feedback(user: AuthUser, id: string, rating: number, comment?: string): Promise<VisitDto> {
    return this.dataSource.transaction(async (manager) => {
      const visit = await this.find(manager, id);
      const party = await this.partyOf(manager, user, visit);
      if (party === 'coordinator') throw this.notFound(id);
      if (visit.status !== VisitStatus.Completed) {
        throw new VisitError(
          VisitErrorCode.NotCompleted,
          'Feedback comes after the visit is marked done',
        );
      }
      try {
        await manager.insert(VisitFeedback, {
          visitId: id,
          side: party,
          authorId: user.id,
          rating,
          comment: comment ?? null,
        });
      } catch (error) {
        if (pgErrorCode(error) === '23505') {
          throw new VisitError(
            VisitErrorCode.FeedbackGiven,
            'You have already given feedback on this visit',
          );
        }
        throw error;
      }
      return this.view(manager, id);
    });
  }

  async calendar(user: AuthUser, id: string): Promise<string> {
    const visit = await this.get(user, id);
    return visitCalendar({
      uid: visit.id,
      startsAt: visit.startsAt,
      endsAt: visit.endsAt,
      summary: `Health Futures visit: ${visit.volunteer.displayName.split(' ')[0]} at ${visit.school.name}`,
      description: `${(visit.activity ?? 'visit').replace(/_/g, ' ')}. Supervised by ${visit.school.supervisor ?? 'a member of staff'}.`,
      location: [visit.school.name, visit.school.town, visit.school.postcode]
        .filter(Boolean)
        .join(', '),
      cancelled: visit.status === VisitStatus.Cancelled,
    });
  }

  /** The volunteer, a member of the school, or a coordinator; anyone else is told 404. */
  private async partyOf(manager: EntityManager, user: AuthUser, visit: Visit): Promise<Party> {
    if (user.role === Role.Coordinator || user.role === Role.Admin) return 'coordinator';
    if (user.role === Role.Volunteer) {
      const [mine] = await manager.query<{ id: string }[]>(
        'SELECT id FROM volunteers WHERE id = $1 AND user_id = $2',
        [visit.volunteerId, user.id],
      );
      if (mine) return FeedbackSide.Volunteer;
      throw this.notFound(visit.id);
    }
    await this.memberships.assertMember(manager, user, visit.schoolUrn).catch(() => {
      throw this.notFound(visit.id);
    });
    return FeedbackSide.School;
  }

  private async find(manager: EntityManager, id: string, forUpdate = false): Promise<Visit> {
    const visit = await manager.findOne(Visit, {
      where: { id },
      lock: forUpdate ? { mode: 'pessimistic_write' } : undefined,
    });
    if (!visit) throw this.notFound(id);
    return visit;
  }

  private notFound(id: string) {
    return new VisitError(VisitErrorCode.NotFound, `No visit ${id}`, 'id');
  }

  private async view(manager: EntityManager, id: string): Promise<VisitDto> {
    const [row] = await this.views(manager, 'x.id = $1', [id]);
    return row;
  }

  private views(manager: EntityManager, where: string, params: unknown[]): Promise<VisitDto[]> {
    return manager.query<VisitDto[]>(
      `SELECT x.id, x.status, x.starts_at AS "startsAt", x.ends_at AS "endsAt", x.request_id AS "requestId",
              r.activity, r.format, x.pupils_reached AS "pupilsReached", x.cancel_reason AS "cancelReason",
              x.cancelled_by AS "cancelledBy",
              json_build_object('urn', s.urn, 'name', s.name, 'postcode', s.postcode, 'town', s.town,
                'supervisor', r.supervisor,
                'contacts', coalesce((SELECT json_agg(u.email ORDER BY u.email) FROM school_memberships m
                  JOIN users u ON u.id = m.user_id WHERE m.school_urn = s.urn AND m.status = 'approved'), '[]'::json)) AS school,
              json_build_object('id', v.id, 'displayName', v.display_name, 'profession', v.profession,
                'organisation', v.organisation, 'email', vu.email) AS volunteer,
              coalesce((SELECT json_agg(json_build_object('side', f.side, 'rating', f.rating, 'comment', f.comment,
                'createdAt', f.created_at) ORDER BY f.side) FROM visit_feedback f WHERE f.visit_id = x.id), '[]'::json) AS feedback
       FROM visits x JOIN schools s ON s.urn = x.school_urn JOIN volunteers v ON v.id = x.volunteer_id
       LEFT JOIN users vu ON vu.id = v.user_id LEFT JOIN visit_requests r ON r.id = x.request_id
       WHERE ${where}
       ORDER BY x.starts_at < now(), abs(extract(epoch FROM x.starts_at - now())), x.id`,
      params,
    );
  }
}
