import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MailService } from '../mail/mail.service';

/** Reminders two days before a visit, to the volunteer and the school: once per visit. */
@Injectable()
export class RemindersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailService,
  ) {}

  /** Writes the reminders for visits starting within two days; answers how many visits. */
  async sendDue(): Promise<number> {
    const count = await this.dataSource.transaction(async (manager) => {
      const due = await manager.query<
        {
          school: string;
          starts_at: Date;
          volunteer_name: string;
          volunteer_email: string | null;
          contacts: string[];
        }[]
      >(
        `WITH due AS (
           UPDATE visits SET reminder_sent_at = now()
           WHERE status = 'confirmed' AND reminder_sent_at IS NULL
             AND starts_at > now() AND starts_at <= now() + interval '2 days'
           RETURNING id, volunteer_id, school_urn, starts_at)
         SELECT s.name AS school, d.starts_at, v.display_name AS volunteer_name, u.email AS volunteer_email,
                coalesce(array(SELECT cu.email::text FROM school_memberships m JOIN users cu ON cu.id = m.user_id
                               WHERE m.school_urn = d.school_urn AND m.status = 'approved' ORDER BY cu.email), '{}') AS contacts
         FROM due d JOIN schools s ON s.urn = d.school_urn JOIN volunteers v ON v.id = d.volunteer_id
         LEFT JOIN users u ON u.id = v.user_id`,
      );
      for (const visit of due) {
        const when = visit.starts_at.toUTCString();
        const firstName = visit.volunteer_name.split(' ')[0];
        await this.mail.enqueue(manager, [
          ...(visit.volunteer_email
            ? [
                {
                  to: visit.volunteer_email,
                  subject: `Reminder: your visit to ${visit.school} on ${when}`,
                  body: `Your visit to ${visit.school} is on ${when}. The visit page has the school's contact details. Thank you!\n`,
                },
              ]
            : []),
          ...visit.contacts.map((to) => ({
            to,
            subject: `Reminder: ${firstName} visits on ${when}`,
            body: `${firstName} visits ${visit.school} on ${when}. Please have the supervising member of staff ready to meet them.\n`,
          })),
        ]);
      }
      return due.length;
    });
    if (count) this.mail.dispatchSoon();
    return count;
  }
}
