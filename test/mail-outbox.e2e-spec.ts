import type { SendMailOptions } from 'nodemailer';
import request from 'supertest';
import { MAIL_TRANSPORT, MailService, MailTransport } from '../src/mail/mail.service';
import { bearer, coordinatorToken, signUp } from './support/accounts';
import { createTestApp, TestApp } from './support/app';

/** Records what it is asked to send; can be made to fail, or to wait until released. */
class FakeTransport implements MailTransport {
  readonly sent: SendMailOptions[] = [];
  failure?: Error;
  private hold?: { reached: () => void; released: Promise<void> };

  async sendMail(message: SendMailOptions): Promise<unknown> {
    this.sent.push(message);
    if (this.hold) {
      const { reached, released } = this.hold;
      this.hold = undefined;
      reached();
      await released;
    }
    if (this.failure) throw this.failure;
    return { messageId: `<${this.sent.length}@fake>` };
  }

  /** The next send waits for `release`; `reached` resolves once that send has begun. */
  holdNext(): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.hold = { reached, released };
    return { reached: reachedPromise, release };
  }

  sentTo(email: string): SendMailOptions[] {
    return this.sent.filter((m) => m.to === email);
  }
}

interface OutboxRow {
  id: string;
  sent_at: Date | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  due_later: boolean;
}

describe('mail outbox', () => {
  let t: TestApp;
  let mail: MailService;
  let coordinator: string;
  const transport = new FakeTransport();

  beforeAll(async () => {
    t = await createTestApp({
      template: 'empty',
      override: (b) => b.overrideProvider(MAIL_TRANSPORT).useValue(transport),
    });
    mail = t.app.get(MailService);
    coordinator = await coordinatorToken(t);
  });
  afterAll(() => t.close());

  beforeEach(() => {
    transport.failure = undefined;
  });

  /** A volunteer who has registered and written a profile; answers the profile id. */
  const volunteer = async (email: string, displayName: string): Promise<string> => {
    const token = await signUp(t, email, 'volunteer');
    const profile = await request(t.http)
      .post('/volunteers')
      .set(bearer(token))
      .send({ displayName, profession: 'doctor', postcode: 'M13 9PL' })
      .expect(201);
    return profile.body.id;
  };
  const decide = (id: string, decision: 'approve' | 'reject', reason?: string) =>
    request(t.http)
      .post(`/volunteers/${id}/${decision}`)
      .set(bearer(coordinator))
      .send(reason === undefined ? {} : { reason })
      .expect(200);
  const outbox = (email: string): Promise<OutboxRow[]> =>
    t.dataSource.query(
      `SELECT id, sent_at, attempts, last_error, next_attempt_at, next_attempt_at > now() AS due_later
         FROM outbox_messages WHERE to_email = $1 ORDER BY created_at`,
      [email],
    );

  it('sends the approval and rejection e-mails to the volunteers, once', async () => {
    const approved = await volunteer('ada.approved@example.org', 'Ada Lovelace');
    const rejected = await volunteer('rex.rejected@example.org', 'Rex Harrison');
    await decide(approved, 'approve');
    await decide(rejected, 'reject', 'Please add your GMC number');

    // Written with the decision, not yet sent.
    expect(await outbox('ada.approved@example.org')).toEqual([
      expect.objectContaining({ sent_at: null, attempts: 0 }),
    ]);
    expect(await outbox('rex.rejected@example.org')).toEqual([
      expect.objectContaining({ sent_at: null, attempts: 0 }),
    ]);
    expect(transport.sent).toEqual([]);

    expect(await mail.dispatchDue()).toBe(2);

    const [approval] = transport.sentTo('ada.approved@example.org');
    expect(transport.sentTo('ada.approved@example.org')).toHaveLength(1);
    expect(approval.from).toBe(t.config.mail.from);
    expect(approval.subject).toMatch(/approved/i);
    expect(approval.text).toMatch(/^Dear Ada,/);
    expect(approval.text).toMatch(/approved your profile/);

    const [rejection] = transport.sentTo('rex.rejected@example.org');
    expect(transport.sentTo('rex.rejected@example.org')).toHaveLength(1);
    expect(rejection.subject).toEqual(expect.stringMatching(/\S/));
    expect(rejection.text).toMatch(/^Dear Rex,/);
    expect(rejection.text).toContain('Reason: Please add your GMC number');

    for (const email of ['ada.approved@example.org', 'rex.rejected@example.org']) {
      const [row] = await outbox(email);
      expect(row.sent_at).toBeInstanceOf(Date);
      expect(row.last_error).toBeNull();
    }

    const before = transport.sent.length;
    expect(await mail.dispatchDue()).toBe(0);
    expect(transport.sent).toHaveLength(before);
  });

  it('keeps a message that could not be sent and retries it only when it is due', async () => {
    const id = await volunteer('fay.failed@example.org', 'Fay Weldon');
    transport.failure = new Error('451 4.3.0 Mail server temporarily rejected message');
    await decide(id, 'approve');

    expect(await mail.dispatchDue()).toBe(0);
    expect(transport.sentTo('fay.failed@example.org')).toHaveLength(1);
    const [failed] = await outbox('fay.failed@example.org');
    expect(failed).toMatchObject({
      sent_at: null,
      attempts: 1,
      last_error: '451 4.3.0 Mail server temporarily rejected message',
      due_later: true,
    });
    expect(failed.next_attempt_at.getTime()).toBeGreaterThan(Date.now());

    // The server is back, but the message waits for its next attempt.
    transport.failure = undefined;
    expect(await mail.dispatchDue()).toBe(0);
    expect(transport.sentTo('fay.failed@example.org')).toHaveLength(1);
    expect(await outbox('fay.failed@example.org')).toEqual([
      expect.objectContaining({ sent_at: null, attempts: 1 }),
    ]);

    // Once due, it goes.
    await t.dataSource.query(
      `UPDATE outbox_messages SET next_attempt_at = now() - interval '1 second' WHERE id = $1`,
      [failed.id],
    );
    expect(await mail.dispatchDue()).toBe(1);
    expect(transport.sentTo('fay.failed@example.org')).toHaveLength(2);
    const [retried] = await outbox('fay.failed@example.org');
    expect(retried.sent_at).toBeInstanceOf(Date);
    expect(retried.last_error).toBeNull();
  });

  it('does not send a message twice while another dispatcher holds it', async () => {
    const emails = ['gus@hold.example.org', 'hua@hold.example.org', 'ivo@hold.example.org'];
    for (const [i, email] of emails.entries()) {
      await decide(await volunteer(email, `Volunteer ${i}`), 'approve');
    }
    const hold = transport.holdNext();
    const first = mail.dispatchDue();
    await hold.reached;
    // The first dispatcher has the messages locked: the second skips them instead of waiting.
    expect(await mail.dispatchDue()).toBe(0);
    hold.release();
    expect(await first).toBe(3);
    for (const email of emails) expect(transport.sentTo(email)).toHaveLength(1);
  });

  it('sends each message once when two dispatchers run at the same time', async () => {
    const emails = Array.from({ length: 6 }, (_, i) => `v${i}@concurrent.example.org`);
    for (const [i, email] of emails.entries()) {
      const id = await volunteer(email, `Volunteer ${i}`);
      await (i % 2 ? decide(id, 'approve') : decide(id, 'reject', 'Not this term'));
    }
    const counts = await Promise.all([mail.dispatchDue(), mail.dispatchDue()]);
    expect(counts[0] + counts[1]).toBe(emails.length);
    for (const email of emails) {
      expect(transport.sentTo(email)).toHaveLength(1);
      const [row] = await outbox(email);
      expect(row.sent_at).toBeInstanceOf(Date);
    }
    expect(await mail.dispatchDue()).toBe(0);
  });
});
