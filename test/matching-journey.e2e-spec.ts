import request from 'supertest';
import { TermCalendar } from '../src/calendar/term-calendar';
import { bearer, coordinatorToken } from './support/accounts';
import { createTestApp, TestApp } from './support/app';
import { approvedVolunteer, at, REQUEST, schoolDays, schoolMember } from './support/matching';

const PLYMOUTH_GROVE = 105443; // Manchester, M13 0AQ

describe('from a request to a completed visit', () => {
  let t: TestApp;
  let coordinator: string;
  let head: string;

  beforeAll(async () => {
    t = await createTestApp();
    coordinator = await coordinatorToken(t);
    head = await schoolMember(t, coordinator, 'head@plymouthgrove.example.org', PLYMOUTH_GROVE);
  });
  afterAll(() => t.close());

  it('runs the whole journey over HTTP', async () => {
    const [day] = schoolDays(1);
    const asha = await approvedVolunteer(t, coordinator, 'asha@example.org', {
      displayName: 'Asha Patel',
      specialty: 'Paediatrics',
      organisation: 'Manchester University NHS FT',
    });

    const created = await request(t.http)
      .post(`/schools/${PLYMOUTH_GROVE}/requests`)
      .set(bearer(head))
      .send({ ...REQUEST, slots: [{ startsAt: at(day, 10), durationMinutes: 60 }] })
      .expect(201);
    expect(created.body).toMatchObject({
      status: 'open',
      volunteersWanted: 1,
      volunteersConfirmed: 0,
    });
    const requestId = created.body.id;
    const slotId = created.body.slots[0].id;

    const candidates = await request(t.http)
      .get(`/requests/${requestId}/candidates`)
      .set(bearer(head))
      .expect(200);
    expect(candidates.body.items).toHaveLength(1);
    expect(candidates.body.items[0]).toMatchObject({
      volunteerId: asha.id,
      firstName: 'Asha',
      profession: 'doctor',
      organisation: 'Manchester University NHS FT',
      freeSlotIds: [slotId],
      breakdown: { fit: 1, reliability: 1, newVolunteer: 1 },
    });
    expect(candidates.body.items[0].distanceKm).toBeLessThan(2);
    expect(candidates.body.items[0].score).toBeGreaterThan(0.9);
    expect(JSON.stringify(candidates.body)).not.toMatch(/@|Patel|M13 9PL/);

    const invitation = await request(t.http)
      .post(`/requests/${requestId}/invitations`)
      .set(bearer(head))
      .send({ volunteerId: asha.id, slotId, message: 'Year 5 would love to meet a doctor' })
      .expect(201);
    expect(invitation.body).toMatchObject({ kind: 'invitation', status: 'pending' });
    // Unanswered, it expires after five school days (or when the slot comes, if sooner).
    const deadline = Math.min(
      TermCalendar.load().addSchoolDays(new Date(), 5).getTime(),
      new Date(at(day, 10)).getTime(),
    );
    expect(Math.abs(new Date(invitation.body.expiresAt).getTime() - deadline)).toBeLessThan(60_000);

    const mine = await request(t.http)
      .get('/volunteers/me/invitations')
      .set(bearer(asha.token))
      .expect(200);
    expect(mine.body.map((i: { id: string }) => i.id)).toEqual([invitation.body.id]);

    const accepted = await request(t.http)
      .post(`/invitations/${invitation.body.id}/accept`)
      .set(bearer(asha.token))
      .expect(200);
    expect(accepted.body.visit).toMatchObject({ status: 'confirmed', startsAt: at(day, 10) });
    const visitId = accepted.body.visit.id;

    // Now, and only now, each side sees the other's contact details.
    const visit = await request(t.http).get(`/visits/${visitId}`).set(bearer(head)).expect(200);
    expect(visit.body.volunteer).toMatchObject({
      displayName: 'Asha Patel',
      email: 'asha@example.org',
    });
    expect(visit.body.school).toMatchObject({
      supervisor: 'Mrs Rahman',
      contacts: ['head@plymouthgrove.example.org'],
    });
    const ics = await request(t.http)
      .get(`/visits/${visitId}/calendar.ics`)
      .set(bearer(asha.token))
      .expect(200);
    expect(ics.headers['content-type']).toMatch(/text\/calendar/);
    expect(ics.text).toContain('BEGIN:VEVENT');

    const filled = await request(t.http)
      .get(`/requests/${requestId}`)
      .set(bearer(head))
      .expect(200);
    expect(filled.body).toMatchObject({ status: 'filled', volunteersConfirmed: 1 });

    // Time passes: the visit happens.
    await t.dataSource.query(
      `UPDATE visits SET starts_at = now() - interval '2 hours', ends_at = now() - interval '1 hour' WHERE id = $1`,
      [visitId],
    );
    await request(t.http)
      .post(`/visits/${visitId}/complete`)
      .set(bearer(asha.token))
      .send({ pupilsReached: 58 })
      .expect(403);
    const completed = await request(t.http)
      .post(`/visits/${visitId}/complete`)
      .set(bearer(head))
      .send({ pupilsReached: 58 })
      .expect(200);
    expect(completed.body).toMatchObject({ status: 'completed', pupilsReached: 58 });

    await request(t.http)
      .post(`/visits/${visitId}/feedback`)
      .set(bearer(head))
      .send({ rating: 5, comment: 'Brilliant' })
      .expect(201);
    await request(t.http)
      .post(`/visits/${visitId}/feedback`)
      .set(bearer(asha.token))
      .send({ rating: 4 })
      .expect(201);
    await request(t.http)
      .post(`/visits/${visitId}/feedback`)
      .set(bearer(head))
      .send({ rating: 1 })
      .expect(409);
    const done = await request(t.http)
      .get(`/visits/${visitId}`)
      .set(bearer(coordinator))
      .expect(200);
    expect(done.body.feedback).toEqual([
      expect.objectContaining({ side: 'school', rating: 5, comment: 'Brilliant' }),
      expect.objectContaining({ side: 'volunteer', rating: 4 }),
    ]);
    const finished = await request(t.http)
      .get(`/requests/${requestId}`)
      .set(bearer(head))
      .expect(200);
    expect(finished.body.status).toBe('completed');

    const mails = await t.dataSource.query(
      `SELECT to_email, subject FROM outbox_messages ORDER BY created_at`,
    );
    expect(mails.map((m: { subject: string }) => m.subject)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Invitation to visit/),
        expect.stringMatching(/^Visit confirmed/),
      ]),
    );
  });
});
