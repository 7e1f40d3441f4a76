import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/current-user.decorator';
import { TermCalendar } from '../calendar/term-calendar';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Email, MailService } from '../mail/mail.service';
import { MatchingService } from '../matching/matching.service';
import { MembershipsService } from '../memberships/memberships.service';
import { RequestSlot } from '../requests/request-slot.entity';
import { RequestsService } from '../requests/requests.service';
import { RequestStatus, VisitRequest } from '../requests/visit-request.entity';
import { Visit, VisitStatus } from '../visits/visit.entity';
import { Volunteer } from '../volunteers/volunteer.entity';
import { VolunteersService } from '../volunteers/volunteers.service';
import {
  AcceptedDto,
  CreateInvitationDto,
  CreateOfferDto,
  InvitationDto,
} from './dto/invitation.dto';
import { Invitation, InvitationKind, InvitationStatus } from './invitation.entity';
import { InvitationError, InvitationErrorCode } from './invitations.errors';
import { pgErrorCode } from '../database/pg-error';

const INVITATION_VIEW = `
  SELECT i.id, i.kind, i.status, i.request_id AS "requestId", r.school_urn AS "schoolUrn",
         s.name AS "schoolName", r.activity, r.format, i.slot_id AS "slotId", sl.starts_at AS "startsAt",
         sl.ends_at AS "endsAt", i.message, i.expires_at AS "expiresAt", i.created_at AS "createdAt",
         json_build_object('volunteerId', v.id, 'firstName', split_part(v.display_name, ' ', 1),
           'profession', v.profession, 'organisation', v.organisation) AS volunteer
  FROM invitations i
  JOIN visit_requests r ON r.id = i.request_id JOIN schools s ON s.urn = r.school_urn
  JOIN request_slots sl ON sl.id = i.slot_id JOIN volunteers v ON v.id = i.volunteer_id`;

/**
 * Invitations (a school asks a volunteer) and offers (a volunteer asks a school), and their
 * answers. Accepting turns one into a confirmed visit, under the rules the database enforces:
 * never more visits than the request wants, never two overlapping visits for one volunteer.
 */
@Injectable()
export class InvitationsService {
  private readonly logger = new Logger(InvitationsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: RequestsService,
    private readonly memberships: MembershipsService,
    private readonly matching: MatchingService,
    private readonly volunteers: VolunteersService,
    private readonly calendar: TermCalendar,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async invite(
    user: AuthUser,
    requestId: string,
    dto: CreateInvitationDto,
  ): Promise<InvitationDto> {
    const view = await this.dataSource.transaction(async (manager) => {
      const request = await this.requests.find(manager, requestId);
      await this.memberships.assertMember(manager, user, request.schoolUrn).catch(() => {
        throw this.requests.notFound(requestId);
      });
      return this.createInvitation(
        manager,
        request,
        dto.slotId,
        dto.volunteerId,
        dto.message ?? null,
        user.id,
      );
    });
    this.mail.dispatchSoon();
    return view;
  }

  /**
   * An invitation sent for a school by a coordinator's allocation, inside the caller's
   * transaction: the same checks, fairness caps, expiry and e-mail as the school's own. The
   * caller sends the e-mails queued (`MailService.dispatchSoon`) once it commits.
   */
  async inviteForSchool(
    manager: EntityManager,
    requestId: string,
    slotId: string,
    volunteerId: string,
    createdBy: string,
  ): Promise<InvitationDto> {
    const request = await this.requests.find(manager, requestId, true);
    return this.createInvitation(manager, request, slotId, volunteerId, null, createdBy);
  }

  async offer(user: AuthUser, requestId: string, dto: CreateOfferDto): Promise<InvitationDto> {
    const view = await this.dataSource.transaction(async (manager) => {
      const volunteer = await this.volunteers.mine(manager, user);
      const request = await this.requests.find(manager, requestId);
      const slot = await this.openSlot(manager, request, dto.slotId);
      await this.assertNotAskedYet(manager, requestId, volunteer.id);
      if (!(await this.matching.isCandidate(manager, requestId, slot.id, volunteer.id))) {
        throw new InvitationError(
          InvitationErrorCode.NotACandidate,
          'You cannot offer for this slot: you need to be approved, offer this activity, be within reach and free then, and not have been asked already',
        );
      }
      const id = await this.insert(manager, {
        kind: InvitationKind.Offer,
        requestId,
        slotId: slot.id,
        volunteerId: volunteer.id,
        message: dto.message ?? null,
        createdBy: user.id,
        termId: slot.termId,
        expiresAt: slot.startsAt,
      });
      const offer = await this.view(manager, id);
      await this.mail.enqueue(
        manager,
        await this.toSchool(manager, request.schoolUrn, {
          subject: `A volunteer offers to visit ${offer.schoolName}`,
          body: `${offer.volunteer.firstName} (${offer.volunteer.profession.replace(/_/g, ' ')}) offers to come on ${offer.startsAt.toUTCString()}.\n\nConfirm or decline the offer on your dashboard.\n`,
        }),
      );
      return offer;
    });
    this.mail.dispatchSoon();
    return view;
  }

  /** The volunteer accepts an invitation, or the school confirms an offer: a confirmed visit. */
  async accept(user: AuthUser, id: string): Promise<AcceptedDto> {
    const result = await this.dataSource.transaction(async (manager) => {
      const { requestId } = await this.findOrFail(manager, id);
      // Lock the request first, always: accepts for one request queue up here, in order.
      const request = await this.requests.find(manager, requestId, true);
      const invitation = await manager.findOneOrFail(Invitation, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      await this.assertCounterparty(manager, user, invitation, request);
      if (invitation.status !== InvitationStatus.Pending) {
        throw new InvitationError(
          InvitationErrorCode.NotPending,
          this.notPendingMessage(invitation, request),
        );
      }
      if (invitation.expiresAt && invitation.expiresAt <= new Date()) {
        throw new InvitationError(InvitationErrorCode.NotPending, 'This invitation has expired');
      }
      if (request.status !== RequestStatus.Open) {
        throw new InvitationError(
          InvitationErrorCode.RequestNotOpen,
          `The request is ${request.status}`,
        );
      }
      const [{ confirmed }] = await manager.query<{ confirmed: number }[]>(
        `SELECT count(*)::int AS confirmed FROM visits WHERE request_id = $1 AND status IN ('confirmed', 'completed')`,
        [requestId],
      );
      if (confirmed >= request.volunteersWanted) {
        throw new InvitationError(
          InvitationErrorCode.RequestFull,
          'The request already has all the volunteers it asked for',
        );
      }
      // One volunteer's accepts queue up on their row: the term limit is counted safely.
      const volunteer = await manager.findOneOrFail(Volunteer, {
        where: { id: invitation.volunteerId },
        lock: { mode: 'pessimistic_write' },
      });
      const slot = await manager.findOneByOrFail(RequestSlot, { id: invitation.slotId });
      await this.assertSameSlotAsOthers(manager, request, slot.id);
      const [{ inTerm }] = await manager.query<{ inTerm: number }[]>(
        `SELECT count(*)::int AS "inTerm" FROM visits
         WHERE volunteer_id = $1 AND term_id = $2 AND status IN ('confirmed', 'completed')`,
        [volunteer.id, slot.termId],
      );
      if (inTerm >= volunteer.maxVisitsPerTerm) {
        throw new InvitationError(
          InvitationErrorCode.TermLimit,
          `The volunteer has reached their limit of ${volunteer.maxVisitsPerTerm} visits this term`,
        );
      }
      const visit = await this.insertVisit(manager, request, slot, invitation);
      await manager.update(Invitation, id, {
        status: InvitationStatus.Accepted,
        respondedAt: new Date(),
      });
      if (confirmed + 1 >= request.volunteersWanted) {
        await manager.update(VisitRequest, request.id, { status: RequestStatus.Filled });
        await manager.update(
          Invitation,
          { requestId: request.id, status: InvitationStatus.Pending },
          { status: InvitationStatus.Withdrawn },
        );
      }
      const view = await this.view(manager, id);
      await this.mail.enqueue(manager, [
        ...(await this.toVolunteer(manager, volunteer.id, {
          subject: `Visit confirmed: ${view.schoolName}`,
          body: `Your visit to ${view.schoolName} on ${view.startsAt.toUTCString()} is confirmed. The visit page has the school's contact details and a calendar file.\n`,
        })),
        ...(await this.toSchool(manager, request.schoolUrn, {
          subject: `Visit confirmed with ${view.volunteer.firstName}`,
          body: `${view.volunteer.firstName} will visit ${view.schoolName} on ${view.startsAt.toUTCString()}. The visit page has their contact details.\n`,
        })),
      ]);
      return {
        invitation: view,
        visit: {
          id: visit.id,
          status: visit.status,
          startsAt: visit.startsAt,
          endsAt: visit.endsAt,
        },
      };
    });
    this.mail.dispatchSoon();
    return result;
  }

  async decline(user: AuthUser, id: string, reason?: string): Promise<InvitationDto> {
    const view = await this.dataSource.transaction(async (manager) => {
      const invitation = await manager.findOne(Invitation, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!invitation) throw this.notFound(id);
      const request = await this.requests.find(manager, invitation.requestId);
      await this.assertCounterparty(manager, user, invitation, request);
      if (invitation.status !== InvitationStatus.Pending) {
        throw new InvitationError(
          InvitationErrorCode.NotPending,
          this.notPendingMessage(invitation, request),
        );
      }
      await manager.update(Invitation, id, {
        status: InvitationStatus.Declined,
        respondedAt: new Date(),
      });
      const declined = await this.view(manager, id);
      const body = `${reason ? `Reason: ${reason}\n` : ''}`;
      await this.mail.enqueue(
        manager,
        invitation.kind === InvitationKind.Invitation
          ? await this.toSchool(manager, request.schoolUrn, {
              subject: `${declined.volunteer.firstName} cannot visit`,
              body: `${declined.volunteer.firstName} declined your invitation for ${declined.startsAt.toUTCString()}.\n${body}`,
            })
          : await this.toVolunteer(manager, invitation.volunteerId, {
              subject: `${declined.schoolName} declined your offer`,
              body: `${declined.schoolName} could not take up your offer for ${declined.startsAt.toUTCString()}.\n${body}`,
            }),
      );
      return declined;
    });
    this.mail.dispatchSoon();
    return view;
  }

  async listMine(user: AuthUser): Promise<InvitationDto[]> {
    const manager = this.dataSource.manager;
    const volunteer = await this.volunteers.mine(manager, user);
    return manager.query<InvitationDto[]>(
      `${INVITATION_VIEW} WHERE i.volunteer_id = $1
       ORDER BY (i.status = 'pending') DESC, sl.starts_at, i.id`,
      [volunteer.id],
    );
  }

  async listForRequest(user: AuthUser, requestId: string): Promise<InvitationDto[]> {
    const manager = this.dataSource.manager;
    const request = await this.requests.find(manager, requestId);
    await this.memberships.assertMemberOrCoordinator(manager, user, request.schoolUrn).catch(() => {
      throw this.requests.notFound(requestId);
    });
    return manager.query<InvitationDto[]>(
      `${INVITATION_VIEW} WHERE i.request_id = $1 ORDER BY i.created_at, i.id`,
      [requestId],
    );
  }

  /**
   * Expires invitations left unanswered past their deadline and, where the school opted in,
   * invites the next-ranked candidate for the same slot. Answers how many expired.
   */
  async expireUnanswered(): Promise<number> {
    const expired = await this.dataSource.query<
      { id: string; request_id: string; slot_id: string }[]
    >(
      `WITH expired AS (
         UPDATE invitations SET status = 'expired', updated_at = now()
         WHERE status = 'pending' AND expires_at <= now()
         RETURNING id, request_id, slot_id, kind)
       SELECT id, request_id, slot_id FROM expired WHERE kind = 'invitation'`,
    );
    for (const invitation of expired) {
      try {
        await this.dataSource.transaction(async (manager) => {
          const request = await this.requests.find(manager, invitation.request_id, true);
          if (!request.autoInvite || request.status !== RequestStatus.Open) return;
          const [next] = await this.matching.rankFor(manager, request, 1, invitation.slot_id);
          if (!next) return;
          await this.createInvitation(
            manager,
            request,
            invitation.slot_id,
            next.id,
            null,
            request.createdBy,
          );
        });
      } catch (error) {
        this.logger.warn(
          { err: error, requestId: invitation.request_id },
          'Could not invite the next candidate',
        );
      }
    }
    if (expired.length) this.mail.dispatchSoon();
    return expired.length;
  }

  private async createInvitation(
    manager: EntityManager,
    request: VisitRequest,
    slotId: string,
    volunteerId: string,
    message: string | null,
    createdBy: string | null,
  ): Promise<InvitationDto> {
    const slot = await this.openSlot(manager, request, slotId);
    await this.assertNotAskedYet(manager, request.id, volunteerId);
    await this.assertSameSlotAsOthers(manager, request, slot.id);
    if (!(await this.matching.isCandidate(manager, request.id, slot.id, volunteerId))) {
      throw new InvitationError(
        InvitationErrorCode.NotACandidate,
        'This volunteer is not a candidate for that slot (not free then, out of reach, or already asked)',
        'volunteerId',
      );
    }
    const [{ received }] = await manager.query<{ received: number }[]>(
      `SELECT count(*)::int AS received FROM invitations
       WHERE volunteer_id = $1 AND term_id = $2 AND kind = 'invitation' AND status <> 'withdrawn'`,
      [volunteerId, slot.termId],
    );
    if (received >= this.config.invitations.perVolunteerPerTerm) {
      throw new InvitationError(
        InvitationErrorCode.TermInvitationCap,
        'This volunteer has had as many invitations as we send in one term: please invite someone else',
        'volunteerId',
      );
    }
    const deadline = this.calendar.addSchoolDays(
      new Date(),
      this.config.invitations.expirySchoolDays,
    );
    const id = await this.insert(manager, {
      kind: InvitationKind.Invitation,
      requestId: request.id,
      slotId: slot.id,
      volunteerId,
      message,
      createdBy,
      termId: slot.termId,
      expiresAt: deadline < slot.startsAt ? deadline : slot.startsAt,
    });
    const invitation = await this.view(manager, id);
    await this.mail.enqueue(
      manager,
      await this.toVolunteer(manager, volunteerId, {
        subject: `Invitation to visit ${invitation.schoolName}`,
        body:
          `${invitation.schoolName} invites you for a ${invitation.activity.replace(/_/g, ' ')} on ${invitation.startsAt.toUTCString()}.\n` +
          `${message ? `\nTheir message: ${message}\n` : ''}\nPlease accept or decline by ${invitation.expiresAt?.toUTCString()}.\n`,
      }),
    );
    return invitation;
  }

  private async openSlot(
    manager: EntityManager,
    request: VisitRequest,
    slotId: string,
  ): Promise<RequestSlot> {
    if (request.status !== RequestStatus.Open) {
      throw new InvitationError(
        InvitationErrorCode.RequestNotOpen,
        `The request is ${request.status}`,
      );
    }
    const slot = await manager.findOneBy(RequestSlot, { id: slotId, requestId: request.id });
    if (!slot) {
      throw new InvitationError(
        InvitationErrorCode.SlotNotInRequest,
        'slotId is not one of the request’s slots',
        'slotId',
      );
    }
    return slot;
  }

  /** A request whose volunteers come together takes them only at the slot of its first visit. */
  private async assertSameSlotAsOthers(
    manager: EntityManager,
    request: VisitRequest,
    slotId: string,
  ) {
    if (!request.sameSlot) return;
    const [other] = await manager.query<{ starts_at: Date }[]>(
      `SELECT starts_at FROM visits
       WHERE request_id = $1 AND slot_id <> $2 AND status IN ('confirmed', 'completed') LIMIT 1`,
      [request.id, slotId],
    );
    if (other) {
      throw new InvitationError(
        InvitationErrorCode.SameSlotRequired,
        `This request's volunteers all come at the same time, and one is already confirmed for ${other.starts_at.toISOString()}`,
        'slotId',
      );
    }
  }

  /** One invitation or offer per volunteer and request (a withdrawn one does not count). */
  private async assertNotAskedYet(manager: EntityManager, requestId: string, volunteerId: string) {
    const [earlier] = await manager.query<{ kind: InvitationKind; status: InvitationStatus }[]>(
      `SELECT kind, status FROM invitations
       WHERE request_id = $1 AND volunteer_id = $2 AND status <> 'withdrawn' LIMIT 1`,
      [requestId, volunteerId],
    );
    if (earlier) {
      throw new InvitationError(
        InvitationErrorCode.AlreadyAsked,
        `This volunteer and request already have an ${earlier.kind} (${earlier.status})`,
        'volunteerId',
      );
    }
  }

  private async insert(manager: EntityManager, values: Partial<Invitation>): Promise<string> {
    try {
      const { identifiers } = await manager.insert(Invitation, values);
      return identifiers[0].id as string;
    } catch (error) {
      if (pgErrorCode(error) === '23505') {
        throw new InvitationError(
          InvitationErrorCode.AlreadyAsked,
          'There is already an open invitation or offer between this volunteer and request',
        );
      }
      throw error;
    }
  }

  private async insertVisit(
    manager: EntityManager,
    request: VisitRequest,
    slot: RequestSlot,
    invitation: Invitation,
  ) {
    try {
      return await manager.save(
        manager.create(Visit, {
          volunteerId: invitation.volunteerId,
          schoolUrn: request.schoolUrn,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          status: VisitStatus.Confirmed,
          requestId: request.id,
          slotId: slot.id,
          invitationId: invitation.id,
          termId: slot.termId,
        }),
      );
    } catch (error) {
      if (pgErrorCode(error) === '23P01') {
        throw new InvitationError(
          InvitationErrorCode.Overlap,
          'The volunteer already has a visit at that time (or too close to it to travel between schools)',
        );
      }
      throw error;
    }
  }

  /** Invitations are answered by the volunteer; offers by a member of the school. */
  private async assertCounterparty(
    manager: EntityManager,
    user: AuthUser,
    invitation: Invitation,
    request: VisitRequest,
  ) {
    if (invitation.kind === InvitationKind.Invitation) {
      const volunteer = await manager.findOneBy(Volunteer, { id: invitation.volunteerId });
      if (volunteer?.userId !== user.id) throw this.notFound(invitation.id);
      return;
    }
    await this.memberships.assertMember(manager, user, request.schoolUrn).catch(() => {
      throw this.notFound(invitation.id);
    });
  }

  private notPendingMessage(invitation: Invitation, request: VisitRequest): string {
    if (
      invitation.status === InvitationStatus.Withdrawn &&
      request.status === RequestStatus.Filled
    ) {
      return 'The request already has all the volunteers it asked for';
    }
    return `This ${invitation.kind} is already ${invitation.status}`;
  }

  private async findOrFail(manager: EntityManager, id: string): Promise<Invitation> {
    const invitation = await manager.findOneBy(Invitation, { id });
    if (!invitation) throw this.notFound(id);
    return invitation;
  }

  private notFound(id: string) {
    return new InvitationError(InvitationErrorCode.NotFound, `No invitation ${id}`, 'id');
  }

  private async view(manager: EntityManager, id: string): Promise<InvitationDto> {
    const [row] = await manager.query<InvitationDto[]>(`${INVITATION_VIEW} WHERE i.id = $1`, [id]);
    return row;
  }

  private async toVolunteer(
    manager: EntityManager,
    volunteerId: string,
    email: Omit<Email, 'to'>,
  ): Promise<Email[]> {
    const rows = await manager.query<{ email: string }[]>(
      'SELECT u.email FROM volunteers v JOIN users u ON u.id = v.user_id WHERE v.id = $1',
      [volunteerId],
    );
    return rows.map((row) => ({ ...email, to: row.email }));
  }

  private async toSchool(
    manager: EntityManager,
    urn: number,
    email: Omit<Email, 'to'>,
  ): Promise<Email[]> {
    const rows = await manager.query<{ email: string }[]>(
      `SELECT u.email FROM school_memberships m JOIN users u ON u.id = m.user_id
       WHERE m.school_urn = $1 AND m.status = 'approved'`,
      [urn],
    );
    return rows.map((row) => ({ ...email, to: row.email }));
  }
}
