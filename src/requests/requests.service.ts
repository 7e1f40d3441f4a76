import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import type { AuthUser } from '../auth/current-user.decorator';
import { TermCalendar } from '../calendar/term-calendar';
import { Invitation, InvitationStatus } from '../invitations/invitation.entity';
import { MailService } from '../mail/mail.service';
import { MembershipsService } from '../memberships/memberships.service';
import { School, SchoolStatus } from '../schools/school.entity';
import { SchoolError, SchoolErrorCode } from '../schools/schools.errors';
import { Role } from '../users/user.entity';
import { CreateRequestDto, RequestDto, RequestQueryDto } from './dto/request.dto';
import { RequestSlot } from './request-slot.entity';
import { RequestError, RequestErrorCode } from './requests.errors';
import { checkSlots } from './slot-rules';
import { RequestStatus, VisitRequest } from './visit-request.entity';

const LIVE_VISITS = `status IN ('confirmed', 'completed')`;

/** Schools' requests for visits. */
@Injectable()
export class RequestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly memberships: MembershipsService,
    private readonly calendar: TermCalendar,
    private readonly mail: MailService,
  ) {}

  create(user: AuthUser, urn: number, dto: CreateRequestDto): Promise<RequestDto> {
    return this.dataSource.transaction(async (manager) => {
      await this.memberships.assertMember(manager, user, urn);
      const school = await manager.findOneByOrFail(School, { urn });
      if (school.status !== SchoolStatus.Open) {
        throw new RequestError(RequestErrorCode.SchoolClosed, `${school.name} is closed`);
      }
      const slots = checkSlots(dto.slots, this.calendar, new Date());
      const request = await manager.save(
        manager.create(VisitRequest, {
          schoolUrn: urn,
          createdBy: user.id,
          activity: dto.activity,
          format: dto.format,
          yearGroups: [...dto.yearGroups].sort(),
          pupils: dto.pupils,
          volunteersWanted: dto.volunteersWanted,
          supervisor: dto.supervisor,
          notes: dto.notes || null,
          autoInvite: dto.autoInvite ?? false,
          sameSlot: dto.sameSlot ?? false,
        }),
      );
      await manager.insert(
        RequestSlot,
        slots.map((slot) => ({ ...slot, requestId: request.id })),
      );
      return (await this.views(manager, [request], true))[0];
    });
  }

  async listForSchool(user: AuthUser, urn: number, query: RequestQueryDto) {
    const manager = this.dataSource.manager;
    if (!(await manager.existsBy(School, { urn }))) {
      throw new SchoolError(SchoolErrorCode.NotFound, `No school has URN ${urn}`, 'urn');
    }
    await this.memberships.assertMemberOrCoordinator(manager, user, urn);
    const [requests, total] = await manager.findAndCount(VisitRequest, {
      where: { schoolUrn: urn, ...(query.status ? { status: query.status } : {}) },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    return {
      items: await this.views(manager, requests, true),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /**
   * The school's members and coordinators see everything; a volunteer sees an open request
   * (to offer for it) or one they are part of, without the supervisor's name until confirmed.
   */
  async get(user: AuthUser, id: string): Promise<RequestDto> {
    const manager = this.dataSource.manager;
    const request = await this.find(manager, id);
    if (user.role === Role.Volunteer) {
      const [{ involved, confirmed }] = await manager.query<
        { involved: boolean; confirmed: boolean }[]
      >(
        `SELECT EXISTS (SELECT 1 FROM invitations i JOIN volunteers v ON v.id = i.volunteer_id
                        WHERE i.request_id = $1 AND v.user_id = $2) AS involved,
                EXISTS (SELECT 1 FROM visits x JOIN volunteers v ON v.id = x.volunteer_id
                        WHERE x.request_id = $1 AND v.user_id = $2 AND x.${LIVE_VISITS}) AS confirmed`,
        [id, user.id],
      );
      if (request.status !== RequestStatus.Open && !involved) throw this.notFound(id);
      return (await this.views(manager, [request], confirmed))[0];
    }
    await this.memberships.assertMemberOrCoordinator(manager, user, request.schoolUrn).catch(() => {
      throw this.notFound(id);
    });
    return (await this.views(manager, [request], true))[0];
  }

  /** Calls off the request, its pending invitations and its visits still to come. */
  async cancel(user: AuthUser, id: string, reason: string): Promise<RequestDto> {
    const view = await this.dataSource.transaction(async (manager) => {
      const request = await this.find(manager, id, true);
      await this.memberships.assertMember(manager, user, request.schoolUrn).catch(() => {
        throw this.notFound(id);
      });
      if (request.status !== RequestStatus.Open && request.status !== RequestStatus.Filled) {
        throw new RequestError(
          RequestErrorCode.NotOpen,
          `This request is already ${request.status}`,
        );
      }
      await manager.update(VisitRequest, id, {
        status: RequestStatus.Cancelled,
        cancelReason: reason,
      });
      await manager.update(
        Invitation,
        { requestId: id, status: InvitationStatus.Pending },
        { status: InvitationStatus.Withdrawn },
      );
      // Wrapped in a CTE so that the rows come back as from a SELECT.
      const called = await manager.query<{ email: string; starts_at: Date }[]>(
        `WITH called AS (
           UPDATE visits x SET status = 'cancelled', cancel_reason = $2, cancelled_by = 'school', updated_at = now()
           WHERE x.request_id = $1 AND x.status = 'confirmed' AND x.starts_at > now()
           RETURNING x.volunteer_id, x.starts_at)
         SELECT u.email, c.starts_at FROM called c
         JOIN volunteers v ON v.id = c.volunteer_id JOIN users u ON u.id = v.user_id`,
        [id, reason],
      );
      const school = await manager.findOneByOrFail(School, { urn: request.schoolUrn });
      await this.mail.enqueue(
        manager,
        called.map((visit) => ({
          to: visit.email,
          subject: `Visit to ${school.name} cancelled`,
          body: `${school.name} has cancelled the visit planned for ${visit.starts_at.toUTCString()}.\n\nReason: ${reason}\n`,
        })),
      );
      return (await this.views(manager, [await this.find(manager, id)], true))[0];
    });
    this.mail.dispatchSoon();
    return view;
  }

  /** Open requests whose proposed times have all passed: expired, with their invitations. */
  async expireStale(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const expired = await manager.query<{ id: string }[]>(
        `WITH expired AS (
           UPDATE visit_requests r SET status = 'expired', updated_at = now()
           WHERE r.status = 'open' AND NOT EXISTS (
             SELECT 1 FROM request_slots s WHERE s.request_id = r.id AND s.starts_at > now())
           RETURNING r.id)
         SELECT id FROM expired`,
      );
      const ids = expired.map((r) => r.id);
      if (ids.length) {
        await manager.update(
          Invitation,
          { requestId: In(ids), status: InvitationStatus.Pending },
          { status: InvitationStatus.Expired },
        );
      }
      return ids.length;
    });
  }

  async find(manager: EntityManager, id: string, forUpdate = false): Promise<VisitRequest> {
    const request = await manager.findOne(VisitRequest, {
      where: { id },
      lock: forUpdate ? { mode: 'pessimistic_write' } : undefined,
    });
    if (!request) throw this.notFound(id);
    return request;
  }

  notFound(id: string) {
    return new RequestError(RequestErrorCode.NotFound, `No request ${id}`, 'id');
  }

  async views(
    manager: EntityManager,
    requests: VisitRequest[],
    withSupervisor: boolean,
  ): Promise<RequestDto[]> {
    if (requests.length === 0) return [];
    const ids = requests.map((r) => r.id);
    const slots = await manager.find(RequestSlot, {
      where: { requestId: In(ids) },
      order: { startsAt: 'ASC' },
    });
    const counts = await manager.query<
      { request_id: string; confirmed: number; name: string; urn: number }[]
    >(
      `SELECT r.id AS request_id, s.name, s.urn,
              (SELECT count(*)::int FROM visits x WHERE x.request_id = r.id AND x.${LIVE_VISITS}) AS confirmed
       FROM visit_requests r JOIN schools s ON s.urn = r.school_urn WHERE r.id = ANY($1)`,
      [ids],
    );
    const byId = new Map(counts.map((c) => [c.request_id, c]));
    return requests.map((r) => ({
      id: r.id,
      schoolUrn: r.schoolUrn,
      schoolName: byId.get(r.id)!.name,
      activity: r.activity,
      format: r.format,
      slots: slots
        .filter((s) => s.requestId === r.id)
        .map((s) => ({
          id: s.id,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          durationMinutes: Math.round((s.endsAt.getTime() - s.startsAt.getTime()) / 60_000),
        })),
      yearGroups: r.yearGroups,
      pupils: r.pupils,
      volunteersWanted: r.volunteersWanted,
      volunteersConfirmed: byId.get(r.id)!.confirmed,
      ...(withSupervisor ? { supervisor: r.supervisor } : {}),
      notes: r.notes,
      autoInvite: r.autoInvite,
      sameSlot: r.sameSlot,
      status: r.status,
      createdAt: r.createdAt,
    }));
  }
}
