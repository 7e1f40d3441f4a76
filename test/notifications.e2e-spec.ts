import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { JobsService } from '../src/jobs/jobs.service';
import { RemindersService } from '../src/visits/reminders.service';
import { bearer, coordinatorToken } from './support/accounts';
import { createTestApp, TestApp } from './support/app';
import { approvedVolunteer, at, REQUEST, schoolDays, schoolMember } from './support/matching';

interface Received {
  to: string[];
  raw: string;
}

/** A real SMTP server that keeps what it receives and wakes up whoever waits for a message. */
class Inbox {
  readonly messages: Received[] = [];
  private waiters: { match: (m: Received) => boolean; resolve: (m: Received) => void }[] = [];
  readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const message = {
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        this.messages.push(message);
        this.waiters = this.waiters.filter((w) =>
          w.match(message) ? (w.resolve(message), false) : true,
        );
        callback();
      });
    },
  });

  /** Resolves with the first message (already received or still to come) that matches. */
  next(to: string, subject: RegExp): Promise<Received> {
    const match = (m: Received) => m.to.includes(to) && subject.test(m.raw);
    const seen = this.messages.find(match);
    return seen
      ? Promise.resolve(seen)
      : new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  count(to: string, subject: RegExp): number {
    return this.messages.filter((m) => m.to.includes(to) && subject.test(m.raw)).length;
  }
}

describe('notifications by e-mail', () => {
  const inbox = new Inbox();
  let t: TestApp;

  beforeAll(async () => {
    await new Promise<void>((resolve) => inbox.server.listen(0, '127.0.0.1', resolve));
    const { port } = inbox.server.server.address() as AddressInfo;
    t = await createTestApp({
      env: {
        JOBS_ENABLED: 'true',
        SMTP_URL: `smtp://127.0.0.1:${port}`,
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => inbox.server.close(() => resolve()));
  });

  it('tells each side about invitations, confirmations, reminders and cancellations, once each', async () => {
    const coordinator = await coordinatorToken(t);
    const head = await schoolMember(t, coordinator, 'head@school.example.org', 105443);
    const volunteer = await approvedVolunteer(t, coordinator, 'nadia@example.org', {
      displayName: 'Nadia Ali',
    });
    await inbox.next('nadia@example.org', /Subject: You are approved/);

    const [day] = schoolDays(1);
    const created = await request(t.http)
      .post('/schools/105443/requests')
      .set(bearer(head))
      .send({ ...REQUEST, slots: [{ startsAt: at(day, 10), durationMinutes: 60 }] })
      .expect(201);
    const invitation = await request(t.http)
      .post(`/requests/${created.body.id}/invitations`)
      .set(bearer(head))
      .send({
        volunteerId: volunteer.id,
        slotId: created.body.slots[0].id,
        message: 'Please come!',
      })
      .expect(201);
    const invited = await inbox.next('nadia@example.org', /Subject: Invitation to visit/);
    expect(invited.raw).toContain('Please come!');

    const accepted = await request(t.http)
      .post(`/invitations/${invitation.body.id}/accept`)
      .set(bearer(volunteer.token))
      .expect(200);
    await inbox.next('nadia@example.org', /Subject: Visit confirmed/);
    await inbox.next('head@school.example.org', /Subject: Visit confirmed with Nadia/);

    // Two days before: the reminder job, run by the pg-boss worker.
    await t.dataSource.query(
      `UPDATE visits SET starts_at = now() + interval '1 day', ends_at = now() + interval '1 day 1 hour' WHERE id = $1`,
      [accepted.body.visit.id],
    );
    await t.app.get(JobsService).runNow('visit-reminders');
    await inbox.next('nadia@example.org', /Subject: Reminder: your visit/);
    await inbox.next('head@school.example.org', /Subject: Reminder: Nadia visits/);
    // Never twice for one visit.
    await expect(t.app.get(RemindersService).sendDue()).resolves.toBe(0);

    await request(t.http)
      .post(`/visits/${accepted.body.visit.id}/cancel`)
      .set(bearer(volunteer.token))
      .send({ reason: 'On call that day' })
      .expect(200);
    const cancelled = await inbox.next('head@school.example.org', /Subject: Visit cancelled/);
    expect(cancelled.raw).toContain('On call that day');

    expect(inbox.count('nadia@example.org', /Subject: Invitation to visit/)).toBe(1);
    expect(inbox.count('nadia@example.org', /Subject: Reminder/)).toBe(1);
    const sent = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_messages WHERE sent_at IS NOT NULL AND subject LIKE 'Reminder%'`,
    );
    expect(sent).toEqual([{ n: 2 }]);
  });
});
