import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity';
import { AuditAction, AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/current-user.decorator';
import { OutboxMessage } from '../mail/outbox-message.entity';
import { User } from '../users/user.entity';
import { Visit } from '../visits/visit.entity';
import { VolunteerCheck } from './volunteer-check.entity';
import { VolunteerUnavailability } from './volunteer-unavailability.entity';
import { Volunteer } from './volunteer.entity';
import { volunteerView } from './volunteer.views';

const ERASED_NAME = 'Erased volunteer';

/** A volunteer's rights over their data (UK GDPR): a copy of everything, and erasure. */
@Injectable()
export class VolunteerRightsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Everything held about the signed-in volunteer, as one JSON document. */
  export(user: AuthUser) {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const account = await manager.findOneByOrFail(User, { id: user.id });
      const volunteer = await manager.findOneBy(Volunteer, { userId: user.id });
      const visits = volunteer
        ? await manager
            .createQueryBuilder(Visit, 'visit')
            .leftJoin('visit.school', 'school')
            .select([
              'visit.id AS id',
              'visit.school_urn AS "schoolUrn"',
              'school.name AS "schoolName"',
              'visit.starts_at AS "startsAt"',
              'visit.ends_at AS "endsAt"',
              'visit.status AS status',
              'visit.pupils_reached AS "pupilsReached"',
            ])
            .where('visit.volunteer_id = :id', { id: volunteer.id })
            .orderBy('visit.starts_at')
            .getRawMany()
        : [];
      const auditEvents = await manager
        .createQueryBuilder(AuditEvent, 'event')
        .where('event.actor_id = :userId', { userId: user.id })
        .orWhere('event.subject_id = :subjectId', { subjectId: volunteer?.id ?? user.id })
        .orderBy('event.at')
        .getMany();
      const emails = await manager.find(OutboxMessage, {
        where: { toEmail: account.email },
        order: { createdAt: 'ASC' },
      });
      return {
        exportedAt: new Date(),
        account: {
          id: account.id,
          email: account.email,
          role: account.role,
          createdAt: account.createdAt,
        },
        profile: volunteer ? await volunteerView(manager, volunteer) : null,
        locationUsedForMatching: volunteer
          ? {
              outcode: volunteer.outcode,
              latitude: volunteer.latitude,
              longitude: volunteer.longitude,
            }
          : null,
        visits,
        emails: emails.map((e) => ({
          subject: e.subject,
          body: e.body,
          createdAt: e.createdAt,
          sentAt: e.sentAt,
        })),
        auditEvents: auditEvents.map((e) => ({
          at: e.at,
          action: e.action,
          actorRole: e.actorRole,
          byYou: e.actorId === user.id,
          details: e.details,
        })),
      };
    });
  }

  /**
   * Erases the volunteer in one transaction: the account goes (so the e-mail can be used again
   * and nobody can sign in with it), the profile keeps only what coverage counts (profession and
   * visits, with no name, contact or place), and checks, dates and e-mails to them are deleted.
   */
  async erase(user: AuthUser): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const account = await manager.findOneByOrFail(User, { id: user.id });
      const volunteer = await manager.findOne(Volunteer, {
        where: { userId: user.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (volunteer) {
        await manager.delete(VolunteerCheck, { volunteerId: volunteer.id });
        await manager.delete(VolunteerUnavailability, { volunteerId: volunteer.id });
        await manager.update(Volunteer, volunteer.id, {
          userId: null,
          displayName: ERASED_NAME,
          specialty: null,
          medicalSchool: null,
          studyYear: null,
          organisation: null,
          postcode: null,
          outcode: null,
          region: null,
          laGssCode: null,
          latitude: null,
          longitude: null,
          languages: [],
          bio: null,
          statusReason: null,
          registrationBody: null,
          registrationNumber: null,
          pausedAt: volunteer.pausedAt ?? new Date(),
          erasedAt: new Date(),
        });
        // Past visits stay, anonymous; visits still to come cannot happen without the volunteer.
        await manager.query(
          `UPDATE visits SET status = 'cancelled', updated_at = now()
           WHERE volunteer_id = $1 AND status = 'confirmed' AND starts_at > now()`,
          [volunteer.id],
        );
        await this.audit.record(manager, null, AuditAction.VolunteerErased, 'volunteer', [
          volunteer.id,
        ]);
      }
      await manager.delete(OutboxMessage, { toEmail: account.email });
      await manager.query('DELETE FROM login_failures WHERE email = $1', [account.email]);
      await manager.delete(User, { id: user.id });
    });
  }
}
