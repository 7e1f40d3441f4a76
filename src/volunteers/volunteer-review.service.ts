import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { AuditAction, AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/current-user.decorator';
import { MailService } from '../mail/mail.service';
import { Role, User } from '../users/user.entity';
import { VolunteerQueryDto } from './dto/volunteer-query.dto';
import { VolunteerDto, VolunteerPageDto } from './dto/volunteer.dto';
import { Volunteer } from './volunteer.entity';
import { VolunteerStatus } from './volunteer.enums';
import { canMoveTo } from './volunteer.rules';
import { volunteerView, volunteerViews } from './volunteer.views';
import { VolunteerError, VolunteerErrorCode } from './volunteers.errors';
import { containsPattern } from '../common/query';

const SUBJECT = 'volunteer';

/** Coordinators' side of onboarding: the review queue, profiles, approval and rejection. */
@Injectable()
export class VolunteerReviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly mail: MailService,
  ) {}

  /** Every profile listed is personal data read by a coordinator: each is audited. */
  list(query: VolunteerQueryDto, actor: AuthUser): Promise<VolunteerPageDto> {
    return this.dataSource.transaction(async (manager) => {
      const builder = manager
        .createQueryBuilder(Volunteer, 'v')
        .leftJoin(User, 'u', 'u.id = v.user_id')
        .where('v.erased_at IS NULL');
      if (query.status === 'paused') {
        builder.andWhere('v.status = :approved AND v.paused_at IS NOT NULL', {
          approved: VolunteerStatus.Approved,
        });
      } else if (query.status === VolunteerStatus.Approved) {
        builder.andWhere('v.status = :status AND v.paused_at IS NULL', { status: query.status });
      } else if (query.status) {
        builder.andWhere('v.status = :status', { status: query.status });
      }
      if (query.profession)
        builder.andWhere('v.profession = :profession', { profession: query.profession });
      if (query.region)
        builder.andWhere('lower(v.region) = lower(:region)', { region: query.region });
      if (query.q) {
        const pattern = containsPattern(query.q);
        builder.andWhere(
          new Brackets((q) =>
            q
              .where('v.display_name ILIKE :pattern', { pattern })
              .orWhere('u.email ILIKE :pattern', { pattern })
              .orWhere('v.organisation ILIKE :pattern', { pattern }),
          ),
        );
      }
      const [volunteers, total] = await builder
        .orderBy('v.created_at', 'ASC')
        .addOrderBy('v.id', 'ASC')
        .skip((query.page - 1) * query.pageSize)
        .take(query.pageSize)
        .getManyAndCount();
      await this.audit.record(
        manager,
        actor,
        AuditAction.VolunteerListed,
        SUBJECT,
        volunteers.map((v) => v.id),
      );
      return {
        items: await volunteerViews(manager, volunteers),
        total,
        page: query.page,
        pageSize: query.pageSize,
      };
    });
  }

  /** A coordinator may read any profile (audited); a volunteer only their own; others see 404. */
  get(id: string, actor: AuthUser): Promise<VolunteerDto> {
    return this.dataSource.transaction(async (manager) => {
      const volunteer = await this.find(manager, id);
      if (actor.role === Role.Volunteer) {
        if (volunteer.userId !== actor.id) throw notFound(id);
      } else {
        await this.audit.record(manager, actor, AuditAction.VolunteerRead, SUBJECT, [id]);
      }
      return volunteerView(manager, volunteer);
    });
  }

  approve(id: string, actor: AuthUser, reason?: string): Promise<VolunteerDto> {
    return this.decide(id, actor, VolunteerStatus.Approved, reason);
  }

  reject(id: string, actor: AuthUser, reason: string): Promise<VolunteerDto> {
    return this.decide(id, actor, VolunteerStatus.Rejected, reason);
  }

  private async decide(
    id: string,
    actor: AuthUser,
    status: VolunteerStatus.Approved | VolunteerStatus.Rejected,
    reason: string | undefined,
  ): Promise<VolunteerDto> {
    const view = await this.dataSource.transaction(async (manager) => {
      const volunteer = await this.find(manager, id, true);
      if (!canMoveTo(volunteer.status, status)) {
        throw new VolunteerError(
          VolunteerErrorCode.StatusUnchanged,
          `This volunteer is already ${status}`,
        );
      }
      const previous = volunteer.status;
      Object.assign(volunteer, {
        status,
        statusReason: reason ?? null,
        reviewedBy: actor.id,
        reviewedAt: new Date(),
      });
      await manager.save(volunteer);
      await this.audit.record(
        manager,
        actor,
        status === VolunteerStatus.Approved
          ? AuditAction.VolunteerApproved
          : AuditAction.VolunteerRejected,
        SUBJECT,
        [id],
        { from: previous, to: status },
      );
      const result = await volunteerView(manager, volunteer);
      if (result.email) await this.mail.enqueue(manager, [decisionEmail(result, status, reason)]);
      return result;
    });
    this.mail.dispatchSoon();
    return view;
  }

  private async find(manager: EntityManager, id: string, forUpdate = false): Promise<Volunteer> {
    const volunteer = await manager.findOne(Volunteer, {
      where: { id },
      lock: forUpdate ? { mode: 'pessimistic_write' } : undefined,
    });
    if (!volunteer || volunteer.erasedAt) throw notFound(id);
    return volunteer;
  }
}

function notFound(id: string) {
  return new VolunteerError(VolunteerErrorCode.NotFound, `No volunteer ${id}`, 'id');
}

function decisionEmail(volunteer: VolunteerDto, status: VolunteerStatus, reason?: string) {
  const approved = status === VolunteerStatus.Approved;
  return {
    to: volunteer.email!,
    subject: approved
      ? 'You are approved to volunteer with Health Futures'
      : 'Your Health Futures profile',
    body: approved
      ? `Dear ${volunteer.firstName},\n\nA coordinator has approved your profile. Schools near you can now invite you, and you can offer to visit schools that have asked for a visit.\n\nThank you for giving your time.\n`
      : `Dear ${volunteer.firstName},\n\nA coordinator could not approve your profile yet.\n\nReason: ${reason}\n\nYou can update your profile and a coordinator will look at it again.\n`,
  };
}
