import request from 'supertest';
import { AllocationRunner } from '../src/allocation/allocation-runner';
import { bearer, coordinatorToken } from './support/accounts';
import { createTestApp, TestApp } from './support/app';
import { approvedVolunteer, at, REQUEST, schoolDays, schoolMember } from './support/matching';

const MANCHESTER = '352';
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Quality from year-group fit alone, so that the test can tell the weights in advance. */
const FIT_ONLY = { distance: 0, fit: 1, reliability: 0, newVolunteer: 0 };

interface Allocation {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  error: string | null;
  result: Record<string, number | boolean | string | Record<string, number>>;
  proposals: {
    requestId: string;
    slotId: string;
    volunteer: { volunteerId: string };
    need: number;
    quality: number;
    invitationId: string | null;
    skippedReason: string | null;
  }[];
  unassigned: { requestId: string; code: string; message: string }[];
}

/** Reads the allocation until its background run has finished. */
async function finished(t: TestApp, token: string, id: string): Promise<Allocation> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await request(t.http).get(`/allocations/${id}`).set(bearer(token)).expect(200);
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body;
    if (Date.now() > deadline) throw new Error(`allocation ${id} still ${res.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('batch allocation', () => {
  let t: TestApp;
  let coordinator: string;
  let deprived: { urn: number; need: number; head: string };
  let wellOff: { urn: number; need: number; head: string };
  let day: string;
  let weekday: string;
  let asha: { token: string; id: string };
  let ben: { token: string; id: string };

  const needOf = async (urn: number) =>
    (await request(t.http).get(`/schools/${urn}`).set(bearer(coordinator)).expect(200)).body
      .needScore as number;
  const allocate = (body: Record<string, unknown>, token = coordinator) =>
    request(t.http).post('/allocations').set(bearer(token)).send(body);
  const ask = (head: string, urn: number, body: Record<string, unknown>) =>
    request(t.http)
      .post(`/schools/${urn}/requests`)
      .set(bearer(head))
      .send({ ...REQUEST, autoInvite: true, ...body })
      .expect(201)
      .then((res) => res.body as { id: string; sameSlot: boolean; slots: { id: string }[] });

  beforeAll(async () => {
    t = await createTestApp({ env: { JOBS_ENABLED: 'true' } });
    coordinator = await coordinatorToken(t);
    const [[high], [low]] = await Promise.all([
      t.dataSource.query<{ urn: number }[]>(
        `SELECT urn FROM schools WHERE la_code = $1 AND status = 'open' AND high_need
         ORDER BY fsm_percentile DESC, urn LIMIT 1`,
        [MANCHESTER],
      ),
      t.dataSource.query<{ urn: number }[]>(
        `SELECT urn FROM schools WHERE la_code = $1 AND status = 'open' AND fsm_percentile IS NOT NULL
         ORDER BY fsm_percentile, urn LIMIT 1`,
        [MANCHESTER],
      ),
    ]);
    deprived = {
      urn: high.urn,
      need: await needOf(high.urn),
      head: await schoolMember(t, coordinator, 'head@deprived.example.org', high.urn),
    };
    wellOff = {
      urn: low.urn,
      need: await needOf(low.urn),
      head: await schoolMember(t, coordinator, 'head@welloff.example.org', low.urn),
    };
    [day] = schoolDays(1, 10);
    weekday = DAY_NAMES[new Date(`${day}T12:00:00Z`).getUTCDay()];
    // Asha offers both activities; Ben only careers talks. Both are free that morning.
    asha = await approvedVolunteer(t, coordinator, 'asha@example.org', {
      activities: ['careers_talk', 'science_workshop'],
      formats: ['in_person'],
      yearGroups: [5, 6],
      travelRadiusKm: 40,
      availability: { weekly: [{ day: weekday, part: 'am' }] },
    });
    ben = await approvedVolunteer(t, coordinator, 'ben@example.org', {
      activities: ['careers_talk'],
      formats: ['in_person'],
      yearGroups: [6],
      travelRadiusKm: 40,
      availability: { weekly: [{ day: weekday, part: 'am' }] },
    });
  });
  afterAll(() => t.close());

  it('reaches the deprived school that greedy leaves out, proves it optimal, and applies once', async () => {
    expect(deprived.need).toBeGreaterThan(1.5 * wellOff.need);
    // Same morning: Asha can do one of them. Greedy gives her the well-off school, where she
    // fits best; the deprived school's workshop then has nobody, as Ben does not offer it.
    const workshop = await ask(deprived.head, deprived.urn, {
      activity: 'science_workshop',
      yearGroups: [1, 2, 3, 4, 5, 6],
      slots: [{ startsAt: at(day, 10), durationMinutes: 60 }],
    });
    const talk = await ask(wellOff.head, wellOff.urn, {
      yearGroups: [5, 6],
      slots: [{ startsAt: at(day, 10), durationMinutes: 60 }],
    });
    const nobodyOffers = await ask(wellOff.head, wellOff.urn, {
      activity: 'reading',
      slots: [{ startsAt: at(day, 11), durationMinutes: 60 }],
    });
    const afternoon = await ask(wellOff.head, wellOff.urn, {
      slots: [{ startsAt: at(day, 14), durationMinutes: 60 }],
    });
    const notOptedIn = await ask(deprived.head, deprived.urn, {
      autoInvite: false,
      slots: [{ startsAt: at(day, 13, 30), durationMinutes: 60 }],
    });

    const created = await allocate({
      laCodes: [MANCHESTER],
      termStartsOn: day,
      termEndsOn: day,
      options: { weights: FIT_ONLY },
    }).expect(202);
    expect(created.body).toMatchObject({ status: 'queued', laCodes: [MANCHESTER], region: null });

    const done = await finished(t, coordinator, created.body.id);
    expect(done.status).toBe('succeeded');
    const expected = deprived.need / 3 + wellOff.need / 2;
    expect(done.result.objective).toBeCloseTo(expected, 4);
    expect(done.result.optimal).toBe(true);
    expect(done.result.gap).toBeLessThan(1e-9);
    expect(done.result.bound).toBeGreaterThanOrEqual(done.result.objective as number);
    expect(done.result.highNeedSchoolsReached).toBe(1);
    expect(done.result.greedy).toMatchObject({ assignments: 1, highNeedSchoolsReached: 0 });
    expect((done.result.greedy as Record<string, number>).objective).toBeCloseTo(wellOff.need, 4);
    expect(
      done.proposals.map((p) => [p.requestId, p.slotId, p.volunteer.volunteerId]).sort(),
    ).toEqual(
      [
        [workshop.id, workshop.slots[0].id, asha.id],
        [talk.id, talk.slots[0].id, ben.id],
      ].sort(),
    );
    expect(JSON.stringify(done.proposals)).not.toMatch(/@|M13/);
    const reasons = Object.fromEntries(done.unassigned.map((u) => [u.requestId, u.code]));
    expect(reasons).toEqual({
      [nobodyOffers.id]: 'no_candidate_in_range',
      [afternoon.id]: 'all_busy',
      [notOptedIn.id]: 'not_opted_in',
    });

    const listed = await request(t.http).get('/allocations').set(bearer(coordinator)).expect(200);
    expect(listed.body).toMatchObject({ total: 1, page: 1 });
    expect(listed.body.items[0]).toMatchObject({ id: done.id, status: 'succeeded', proposals: 2 });

    const applied = await request(t.http)
      .post(`/allocations/${done.id}/apply`)
      .set(bearer(coordinator))
      .expect(200);
    expect(applied.body).toMatchObject({ alreadyApplied: false, skipped: [] });
    expect(applied.body.invited).toHaveLength(2);
    const ashasInvitations = await request(t.http)
      .get('/volunteers/me/invitations')
      .set(bearer(asha.token))
      .expect(200);
    expect(ashasInvitations.body).toMatchObject([
      {
        requestId: workshop.id,
        slotId: workshop.slots[0].id,
        status: 'pending',
        kind: 'invitation',
      },
    ]);
    const outbox = await t.dataSource.query<{ to_email: string }[]>(
      `SELECT to_email FROM outbox_messages WHERE subject LIKE 'Invitation to visit%' ORDER BY to_email`,
    );
    expect(outbox.map((m) => m.to_email)).toEqual(['asha@example.org', 'ben@example.org']);

    const again = await request(t.http)
      .post(`/allocations/${done.id}/apply`)
      .set(bearer(coordinator))
      .expect(200);
    expect(again.body).toMatchObject({ alreadyApplied: true, invited: [], skipped: [] });
    const [{ count }] = await t.dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM invitations',
    );
    expect(count).toBe(2);
  });

  it('skips a proposal whose volunteer was booked after the run, and applies only once when asked twice at the same time', async () => {
    const later = schoolDays(2, 10)[1];
    const laterDay = DAY_NAMES[new Date(`${later}T12:00:00Z`).getUTCDay()];
    for (const v of [asha, ben]) {
      await request(t.http)
        .patch('/volunteers/me')
        .set(bearer(v.token))
        .send({
          availability: {
            weekly: [
              { day: weekday, part: 'am' },
              { day: laterDay, part: 'am' },
            ],
          },
        })
        .expect(200);
    }
    const first = await ask(deprived.head, deprived.urn, {
      yearGroups: [6],
      slots: [{ startsAt: at(later, 9, 30), durationMinutes: 60 }],
    });
    const second = await ask(wellOff.head, wellOff.urn, {
      yearGroups: [6],
      slots: [{ startsAt: at(later, 9, 30), durationMinutes: 60 }],
    });
    const created = await allocate({
      region: 'North West',
      termStartsOn: later,
      termEndsOn: later,
    }).expect(202);
    const done = await finished(t, coordinator, created.body.id);
    expect(done.status).toBe('succeeded');
    expect(done.proposals).toHaveLength(2);
    const bensProposal = done.proposals.find((p) => p.volunteer.volunteerId === ben.id)!;

    // Meanwhile Ben is booked elsewhere at that time, by a school's own invitation.
    const elsewhere = await ask(deprived.head, deprived.urn, {
      autoInvite: false,
      yearGroups: [6],
      slots: [{ startsAt: at(later, 9), durationMinutes: 60 }],
    });
    const invitation = await request(t.http)
      .post(`/requests/${elsewhere.id}/invitations`)
      .set(bearer(deprived.head))
      .send({ volunteerId: ben.id, slotId: elsewhere.slots[0].id })
      .expect(201);
    await request(t.http)
      .post(`/invitations/${invitation.body.id}/accept`)
      .set(bearer(ben.token))
      .expect(200);

    const [a, b] = await Promise.all(
      [1, 2].map(() =>
        request(t.http).post(`/allocations/${done.id}/apply`).set(bearer(coordinator)).expect(200),
      ),
    );
    const [fresh, repeat] = a.body.alreadyApplied ? [b.body, a.body] : [a.body, b.body];
    expect(repeat).toMatchObject({ alreadyApplied: true, invited: [] });
    expect(fresh.alreadyApplied).toBe(false);
    expect(fresh.invited).toHaveLength(1);
    expect(fresh.invited[0].volunteerId).toBe(asha.id);
    expect(fresh.skipped).toEqual([
      expect.objectContaining({
        requestId: bensProposal.requestId,
        volunteerId: ben.id,
        code: 'not_a_candidate',
      }),
    ]);
    const [{ count }] = await t.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM invitations WHERE request_id = ANY ($1::uuid[])`,
      [[first.id, second.id]],
    );
    expect(count).toBe(1);
    const shown = await finished(t, coordinator, done.id);
    expect(shown.proposals.find((p) => p.volunteer.volunteerId === ben.id)).toMatchObject({
      invitationId: null,
      skippedReason: expect.stringMatching(/not a candidate/),
    });
  });

  it('keeps the volunteers of a same-slot request together once the first is confirmed', async () => {
    const later = schoolDays(2, 10)[1];
    const together = await ask(wellOff.head, wellOff.urn, {
      autoInvite: false,
      sameSlot: true,
      volunteersWanted: 2,
      slots: [
        { startsAt: at(day, 11), durationMinutes: 45 },
        { startsAt: at(later, 11), durationMinutes: 45 },
      ],
    });
    expect(together).toMatchObject({ sameSlot: true });
    const [first, second] = together.slots.map((slot) => slot.id);
    const invite = (volunteerId: string, slotId: string) =>
      request(t.http)
        .post(`/requests/${together.id}/invitations`)
        .set(bearer(wellOff.head))
        .send({ volunteerId, slotId });
    const toAsha = await invite(asha.id, second).expect(201);
    await request(t.http)
      .post(`/invitations/${toAsha.body.id}/accept`)
      .set(bearer(asha.token))
      .expect(200);
    const refused = await invite(ben.id, first).expect(409);
    expect(refused.body).toMatchObject({ code: 'same_slot_required' });
    expect(JSON.stringify(refused.body)).toContain('slotId');
    await invite(ben.id, second).expect(201);
  });

  it('lets only coordinators in', async () => {
    const staff = wellOff.head;
    const volunteer = asha.token;
    const [{ id }] = await t.dataSource.query<{ id: string }[]>(
      'SELECT id FROM allocations LIMIT 1',
    );
    for (const token of [staff, volunteer]) {
      await allocate({ region: 'North West', termStartsOn: day, termEndsOn: day }, token).expect(
        403,
      );
      await request(t.http).get('/allocations').set(bearer(token)).expect(403);
      await request(t.http).get(`/allocations/${id}`).set(bearer(token)).expect(403);
      await request(t.http).post(`/allocations/${id}/apply`).set(bearer(token)).expect(403);
    }
    await request(t.http).get('/allocations').expect(401);
    await request(t.http).post(`/allocations/${id}/apply`).expect(401);
    await request(t.http)
      .get('/allocations/00000000-0000-4000-8000-000000000000')
      .set(bearer(coordinator))
      .expect(404);
    await request(t.http)
      .post('/allocations/00000000-0000-4000-8000-000000000000/apply')
      .set(bearer(coordinator))
      .expect(404);
  });

  it('names the field and rule of a bad request, and writes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ termStartsOn: day, termEndsOn: day }, 'region'],
      [{ region: 'North West', laCodes: ['352'], termStartsOn: day, termEndsOn: day }, 'region'],
      [{ region: 'Atlantis', termStartsOn: day, termEndsOn: day }, 'region'],
      [{ laCodes: ['999'], termStartsOn: day, termEndsOn: day }, 'laCodes'],
      [{ laCodes: ['Manchester'], termStartsOn: day, termEndsOn: day }, 'laCodes'],
      [{ region: 'North West', termStartsOn: '2026-02-30x', termEndsOn: day }, 'termStartsOn'],
      [{ region: 'North West', termStartsOn: day, termEndsOn: '2020-01-01' }, 'termEndsOn'],
      [{ region: 'North West', termStartsOn: '2027-02-29', termEndsOn: day }, 'termStartsOn'],
      [{ region: 'North West', termStartsOn: day, termEndsOn: '2099-01-01' }, 'termEndsOn'],
      [
        {
          region: 'North West',
          termStartsOn: day,
          termEndsOn: day,
          options: { weights: { distance: 0, fit: 0, reliability: 0, newVolunteer: 0 } },
        },
        'options.weights',
      ],
      [
        { region: 'North West', termStartsOn: day, termEndsOn: day, options: { relativeGap: 0.5 } },
        'relativeGap',
      ],
    ];
    const [{ before }] = await t.dataSource.query(
      'SELECT count(*)::int AS before FROM allocations',
    );
    for (const [body, field] of cases) {
      const res = await allocate(body).expect(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    const [{ after }] = await t.dataSource.query('SELECT count(*)::int AS after FROM allocations');
    expect(after).toBe(before);
  });

  it('cannot apply a run that has not succeeded', async () => {
    const [{ id }] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO allocations (region, term_starts_on, term_ends_on, options, status, error)
       VALUES ('North West', $1, $1, '{}', 'failed', 'The solver stopped') RETURNING id`,
      [day],
    );
    const res = await request(t.http)
      .post(`/allocations/${id}/apply`)
      .set(bearer(coordinator))
      .expect(422);
    expect(res.body.message).toMatch(/failed/);
  });
});

describe('a batch allocation that fails', () => {
  let t: TestApp;
  let coordinator: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { JOBS_ENABLED: 'true', ALLOCATION_MAX_CANDIDATES: '1' } });
    coordinator = await coordinatorToken(t);
  });
  afterAll(() => t.close());

  it('is marked failed with the reason, and the service keeps answering', async () => {
    const head = await schoolMember(t, coordinator, 'head@grove.example.org', 105443);
    const [day] = schoolDays(1, 10);
    const weekday = DAY_NAMES[new Date(`${day}T12:00:00Z`).getUTCDay()];
    for (const email of ['dev@example.org', 'eve@example.org']) {
      await approvedVolunteer(t, coordinator, email, {
        availability: { weekly: [{ day: weekday, part: 'am' }] },
      });
    }
    await request(t.http)
      .post('/schools/105443/requests')
      .set(bearer(head))
      .send({
        ...REQUEST,
        autoInvite: true,
        slots: [{ startsAt: at(day, 10), durationMinutes: 60 }],
      })
      .expect(201);
    const created = await request(t.http)
      .post('/allocations')
      .set(bearer(coordinator))
      .send({ laCodes: [MANCHESTER], termStartsOn: day, termEndsOn: day })
      .expect(202);
    const done = await finished(t, coordinator, created.body.id);
    expect(done).toMatchObject({ status: 'failed', proposals: [] });
    expect(done.error).toMatch(/too large: 2 candidate assignments, more than the 1 allowed/);
    await request(t.http).get('/health').expect(200);
    await request(t.http)
      .post(`/allocations/${done.id}/apply`)
      .set(bearer(coordinator))
      .expect(422);
  });
});

describe('a batch allocation cut off by its instance stopping', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is marked failed at the next start, and a recent one is left running', async () => {
    const [stale, recent] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO allocations (region, term_starts_on, term_ends_on, options, status, started_at)
       VALUES ('North West', current_date, current_date, '{}', 'running', now() - interval '2 hours'),
              ('North West', current_date, current_date, '{}', 'running', now() - interval '1 minute')
       RETURNING id`,
    );
    await t.app.get(AllocationRunner).onApplicationBootstrap();
    const rows = await t.dataSource.query<{ id: string; status: string; error: string | null }[]>(
      'SELECT id, status, error FROM allocations ORDER BY started_at',
    );
    expect(rows).toEqual([
      { id: stale.id, status: 'failed', error: expect.stringMatching(/interrupted/) },
      { id: recent.id, status: 'running', error: null },
    ]);
  });
});

describe('batch allocation without background jobs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses to queue a run nobody would work on, and writes nothing', async () => {
    const coordinator = await coordinatorToken(t);
    const [day] = schoolDays(1, 10);
    const res = await request(t.http)
      .post('/allocations')
      .set(bearer(coordinator))
      .send({ region: 'North West', termStartsOn: day, termEndsOn: day })
      .expect(422);
    expect(res.body.message).toMatch(/JOBS_ENABLED=false/);
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM allocations');
    expect(count).toBe(0);
  });
});
