import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/current-user.decorator';
import { MailService } from '../mail/mail.service';
import { School, SchoolStatus } from '../schools/school.entity';
import { SchoolError, SchoolErrorCode } from '../schools/schools.errors';
import { Role } from '../users/user.entity';
import { MembershipDto, MembershipQueryDto } from './dto/membership.dto';
import { MembershipError, MembershipErrorCode } from './memberships.errors';
import { MembershipStatus, SchoolMembership } from './school-membership.entity';
import { pgErrorCode } from '../database/pg-error';

const MEMBERSHIP_VIEW = `
  SELECT m.id, m.school_urn AS "schoolUrn", s.name AS "schoolName", u.email, m.job_title AS "jobTitle",
         m.status, m.status_reason AS "statusReason", m.created_at AS "createdAt", m.reviewed_at AS "reviewedAt"
  FROM school_memberships m JOIN schools s ON s.urn = m.school_urn JOIN users u ON u.id = m.user_id`;

/** School staff ask to act for a school; coordinators decide. */
@Injectable()
export class MembershipsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailService,
  ) {}

  async ask(user: AuthUser, urn: number, jobTitle: string): Promise<MembershipDto> {
    const school = await this.dataSource.manager.findOneBy(School, { urn });
    if (!school) throw new SchoolError(SchoolErrorCode.NotFound, `No school has URN ${urn}`, 'urn');
    if (school.status !== SchoolStatus.Open) {
      throw new MembershipError(MembershipErrorCode.SchoolClosed, `${school.name} is closed`);
    }
    try {
      const { identifiers } = await this.dataSource.manager.insert(SchoolMembership, {
        userId: user.id,
        schoolUrn: urn,
        jobTitle,
      });
      return this.view(this.dataSource.manager, identifiers[0].id as string);
    } catch (error) {
      if (pgErrorCode(error) === '23505') {
        throw new MembershipError(
          MembershipErrorCode.AlreadyAsked,
          `You have already asked to represent ${school.name}`,
        );
      }
      throw error;
    }
  }

  /** Coordinators see every request to represent a school; staff see their own. */
  async list(user: AuthUser, query: MembershipQueryDto) {
    const params: unknown[] = [];
    const where: string[] = [];
    if (user.role === Role.SchoolStaff) where.push(`m.user_id = $${params.push(user.id)}`);
    if (query.status) where.push(`m.status = $${params.push(query.status)}`);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM school_memberships m ${filter}`,
      params,
    );
    const items = await this.dataSource.query<MembershipDto[]>(
      `${MEMBERSHIP_VIEW} ${filter} ORDER BY m.created_at, m.id
       LIMIT $${params.push(query.pageSize)} OFFSET $${params.push((query.page - 1) * query.pageSize)}`,
      params,
    );
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  async decide(
    id: string,
    actor: AuthUser,
    status: MembershipStatus,
    reason?: string,
  ): Promise<MembershipDto> {
    const view = await this.dataSource.transaction(async (manager) => {
      const membership = await manager.findOne(SchoolMembership, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!membership)
        throw new MembershipError(MembershipErrorCode.NotFound, `No membership ${id}`, 'id');
      if (membership.status === status) {
        throw new MembershipError(
          MembershipErrorCode.StatusUnchanged,
          `This membership is already ${status}`,
        );
      }
      await manager.update(SchoolMembership, id, {
        status,
        statusReason: reason ?? null,
        reviewedBy: actor.id,
        reviewedAt: new Date(),
      });
      const result = await this.view(manager, id);
      await this.mail.enqueue(manager, [
        {
          to: result.email,
          subject:
            status === MembershipStatus.Approved
              ? `You can now request visits for ${result.schoolName}`
              : `Your request to represent ${result.schoolName}`,
          body:
            status === MembershipStatus.Approved
              ? `A coordinator has confirmed that you act for ${result.schoolName}. You can now ask for visits from health professionals.\n`
              : `A coordinator could not confirm that you act for ${result.schoolName}.\n\nReason: ${reason}\n`,
        },
      ]);
      return result;
    });
    this.mail.dispatchSoon();
    return view;
  }

  /**
   * Passes only for an approved member of the school. Anyone else gets 404, so that requests of
   * other schools are not even confirmed to exist.
   */
  async assertMember(manager: EntityManager, user: AuthUser, urn: number): Promise<void> {
    const member = await manager.existsBy(SchoolMembership, {
      userId: user.id,
      schoolUrn: urn,
      status: MembershipStatus.Approved,
    });
    if (!member) throw new MembershipError(MembershipErrorCode.NotAMember, 'Not found');
  }

  /** Members act for their school; coordinators and admins may read it too. */
  async assertMemberOrCoordinator(
    manager: EntityManager,
    user: AuthUser,
    urn: number,
  ): Promise<void> {
    if (user.role === Role.Coordinator || user.role === Role.Admin) return;
    await this.assertMember(manager, user, urn);
  }

  private async view(manager: EntityManager, id: string): Promise<MembershipDto> {
    const [row] = await manager.query<MembershipDto[]>(`${MEMBERSHIP_VIEW} WHERE m.id = $1`, [id]);
    return row;
  }
}
