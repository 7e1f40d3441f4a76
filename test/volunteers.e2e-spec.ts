import request from 'supertest';
import { bearer, coordinatorToken, PASSWORD, signIn, signUp } from './support/accounts';
import { createTestApp, TestApp } from './support/app';

const SIGN_UP = { displayName: 'Asha Patel', profession: 'doctor', postcode: 'm13 9pl' };

describe('volunteer profiles', () => {
  let t: TestApp;
  let coordinator: string;

  beforeAll(async () => {
    t = await createTestApp();
    coordinator = await coordinatorToken(t);
  });
  afterAll(() => t.close());

  const createProfile = (token: string, body: object = SIGN_UP) =>
    request(t.http).post('/volunteers').set(bearer(token)).send(body);

  it('goes from registration to a saved profile in two requests with three fields', async () => {
    const registered = await request(t.http)
      .post('/auth/register')
      .send({ email: 'asha@example.org', password: PASSWORD, role: 'volunteer' })
      .expect(201);
    const profile = await createProfile(registered.body.accessToken).expect(201);
    expect(profile.body).toMatchObject({
      displayName: 'Asha Patel',
      firstName: 'Asha',
      email: 'asha@example.org',
      profession: 'doctor',
      postcode: 'M13 9PL',
      outcode: 'M13',
      region: 'North West',
      status: 'pending',
      paused: false,
      travelRadiusKm: 15,
      maxVisitsPerTerm: 3,
      activities: ['careers_talk'],
      formats: ['in_person'],
      yearGroups: [3, 4, 5, 6],
      registration: null,
      checks: [],
    });
    expect(profile.body.availability.weekly).toHaveLength(10);
    // Located at the district's centroid.
    const [row] = await t.dataSource.query(
      'SELECT latitude, longitude FROM volunteers WHERE id = $1',
      [profile.body.id],
    );
    expect(row.latitude).toBeCloseTo(53.46, 1);
    expect(row.longitude).toBeCloseTo(-2.22, 1);
  });

  it('refuses a second profile for the same account, even when both arrive at once', async () => {
    const token = await signUp(t, 'twice@example.org', 'volunteer');
    const answers = await Promise.all([createProfile(token), createProfile(token)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    await createProfile(token).expect(409);
  });

  it('answers 400 naming the field for bad sign-up data', async () => {
    const token = await signUp(t, 'bad-data@example.org', 'volunteer');
    const cases: [object, string, string?][] = [
      [{ ...SIGN_UP, postcode: 'not a postcode' }, 'postcode', 'matches'],
      [{ ...SIGN_UP, postcode: 'ZZ99 9ZZ' }, 'postcode', 'unknown_outcode'],
      [{ ...SIGN_UP, profession: 'surgeon' }, 'profession', 'isEnum'],
      [{ ...SIGN_UP, travelRadiusKm: 0 }, 'travelRadiusKm', 'min'],
      [{ ...SIGN_UP, travelRadiusKm: 81 }, 'travelRadiusKm', 'max'],
      [{ ...SIGN_UP, favouriteColour: 'blue' }, 'favouriteColour', 'unknownField'],
      [
        { ...SIGN_UP, availability: { weekly: [{ day: 'sat', part: 'am' }] } },
        'availability.weekly.0.day',
      ],
      [
        { ...SIGN_UP, availability: { weekly: [{ day: 'mon', part: 'am', hour: 9 }] } },
        'availability.weekly.0.hour',
      ],
      [{ ...SIGN_UP, activities: ['juggling'] }, 'activities'],
      [{ ...SIGN_UP, yearGroups: [7] }, 'yearGroups'],
      [{ displayName: 'No Postcode', profession: 'nurse' }, 'postcode'],
      [{ ...SIGN_UP, medicalSchool: 'Manchester' }, 'medicalSchool', 'only_for_medical_students'],
      [
        { ...SIGN_UP, registration: { body: 'nmc', number: '12A3456E' } },
        'registration.body',
        'registration_body_mismatch',
      ],
      [
        { ...SIGN_UP, registration: { body: 'gmc', number: '12345' } },
        'registration.number',
        'registration_number_format',
      ],
      [
        { ...SIGN_UP, availability: { unavailable: [{ from: '2027-06-10', to: '2027-06-01' }] } },
        'availability.unavailable.0.to',
        'date_range_order',
      ],
      [
        {
          ...SIGN_UP,
          checks: [{ type: 'safeguarding_training', date: '2999-01-01', consent: true }],
        },
        'checks.0.date',
        'date_in_future',
      ],
    ];
    for (const [body, field, rule] of cases) {
      const response = await createProfile(token, body).expect(400);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, ...(rule ? { rule } : {}) })]),
      );
    }
    // Nothing was half-written by any of those.
    await request(t.http).get('/volunteers/me').set(bearer(token)).expect(404);
  });

  it('keeps the whole profile, availability, registration and checks, and lets the volunteer change them', async () => {
    const token = await signUp(t, 'ben@example.org', 'volunteer');
    await createProfile(token, {
      displayName: 'Ben Okafor',
      profession: 'medical_student',
      postcode: 'LS2',
    }).expect(201);
    const changed = await request(t.http)
      .patch('/volunteers/me')
      .set(bearer(token))
      .send({
        medicalSchool: 'University of Leeds',
        studyYear: 3,
        organisation: 'Leeds School of Medicine',
        travelRadiusKm: 25,
        activities: ['science_workshop', 'mock_clinic'],
        formats: ['in_person', 'virtual'],
        yearGroups: [6, 5],
        languages: ['Yoruba'],
        bio: 'Third-year student who loves anatomy.',
        maxVisitsPerTerm: 2,
        availability: {
          weekly: [
            { day: 'wed', part: 'pm' },
            { day: 'mon', part: 'am' },
          ],
          unavailable: [{ from: '2027-05-01', to: '2027-06-15' }],
        },
        checks: [
          { type: 'safeguarding_training', date: '2026-09-01', consent: true },
          { type: 'dbs_update_service', date: '2025-01-20', consent: true },
        ],
      })
      .expect(200);
    expect(changed.body).toMatchObject({
      medicalSchool: 'University of Leeds',
      studyYear: 3,
      yearGroups: [5, 6],
      availability: {
        weekly: [
          { day: 'mon', part: 'am' },
          { day: 'wed', part: 'pm' },
        ],
        unavailable: [{ from: '2027-05-01', to: '2027-06-15' }],
      },
      maxVisitsPerTerm: 2,
    });
    expect(changed.body.checks.map((c: { type: string }) => c.type)).toEqual([
      'safeguarding_training',
      'dbs_update_service',
    ]);

    // Qualifying as a doctor: student details go, a GMC registration comes.
    const qualified = await request(t.http)
      .patch('/volunteers/me')
      .set(bearer(token))
      .send({
        profession: 'doctor',
        specialty: 'Paediatrics',
        registration: { body: 'gmc', number: '7654321' },
      })
      .expect(200);
    expect(qualified.body).toMatchObject({
      profession: 'doctor',
      medicalSchool: null,
      studyYear: null,
      registration: { body: 'gmc', number: '7654321' },
      bio: 'Third-year student who loves anatomy.',
    });
    // A profession that the registration on record does not fit is refused.
    const nurse = await request(t.http)
      .patch('/volunteers/me')
      .set(bearer(token))
      .send({ profession: 'nurse' })
      .expect(400);
    expect(nurse.body.errors[0].field).toBe('registration.body');

    const again = await request(t.http).get('/volunteers/me').set(bearer(token)).expect(200);
    expect(again.body.profession).toBe('doctor');
  });

  it('pauses and resumes', async () => {
    const token = await signUp(t, 'pauser@example.org', 'volunteer');
    const { id } = (await createProfile(token).expect(201)).body;
    await request(t.http)
      .post(`/volunteers/${id}/approve`)
      .set(bearer(coordinator))
      .send({})
      .expect(200);
    const paused = await request(t.http)
      .post('/volunteers/me/pause')
      .set(bearer(token))
      .expect(200);
    expect(paused.body).toMatchObject({ status: 'paused', paused: true });
    const listed = await request(t.http)
      .get('/volunteers')
      .query({ status: 'paused' })
      .set(bearer(coordinator))
      .expect(200);
    expect(listed.body.items.map((v: { id: string }) => v.id)).toContain(id);
    const resumed = await request(t.http)
      .post('/volunteers/me/resume')
      .set(bearer(token))
      .expect(200);
    expect(resumed.body).toMatchObject({ status: 'approved', paused: false });
  });

  it('keeps volunteers to their own profile and coordinators’ routes to coordinators', async () => {
    const mine = await signUp(t, 'own@example.org', 'volunteer');
    const other = await signUp(t, 'other@example.org', 'volunteer');
    const staff = await signUp(t, 'head@school.example.org', 'school_staff');
    const ownId = (await createProfile(mine).expect(201)).body.id;
    const otherId = (await createProfile(other).expect(201)).body.id;

    await request(t.http).get(`/volunteers/${ownId}`).set(bearer(mine)).expect(200);
    const theirs = await request(t.http)
      .get(`/volunteers/${otherId}`)
      .set(bearer(mine))
      .expect(404);
    expect(JSON.stringify(theirs.body)).not.toContain('other@example.org');
    // There is no way to change someone else's profile: only /volunteers/me.
    await request(t.http)
      .patch(`/volunteers/${otherId}`)
      .set(bearer(mine))
      .send({ bio: 'x' })
      .expect(404);
    await request(t.http).delete(`/volunteers/${otherId}`).set(bearer(mine)).expect(404);

    for (const token of [mine, staff]) {
      await request(t.http).get('/volunteers').set(bearer(token)).expect(403);
      await request(t.http)
        .post(`/volunteers/${otherId}/approve`)
        .set(bearer(token))
        .send({})
        .expect(403);
      await request(t.http)
        .post(`/volunteers/${otherId}/reject`)
        .set(bearer(token))
        .send({ reason: 'No' })
        .expect(403);
    }
    await request(t.http).get(`/volunteers/${otherId}`).set(bearer(staff)).expect(403);
    await request(t.http).post('/volunteers').set(bearer(staff)).send(SIGN_UP).expect(403);
    await request(t.http).get('/volunteers/me').set(bearer(staff)).expect(403);
    await request(t.http).get('/volunteers').expect(401);
    await request(t.http).get(`/volunteers/${otherId}`).expect(401);
    await request(t.http).get('/volunteers/not-a-uuid').set(bearer(coordinator)).expect(400);
  });
});

describe('onboarding by coordinators', () => {
  let t: TestApp;
  let coordinator: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ template: 'empty' });
    coordinator = await coordinatorToken(t);
    const people: [string, string, string][] = [
      ['carla@example.org', 'Carla Nurse', 'nurse'],
      ['dev@example.org', 'Dev Doctor', 'doctor'],
      ['ella@example.org', 'Ella Midwife', 'midwife'],
    ];
    for (const [email, displayName, profession] of people) {
      const token = await signUp(t, email, 'volunteer');
      const profile = await request(t.http)
        .post('/volunteers')
        .set(bearer(token))
        .send({ displayName, profession, postcode: 'B1 1AA', organisation: 'Birmingham Trust' })
        .expect(201);
      ids[email] = profile.body.id;
    }
  });
  afterAll(() => t.close());

  const list = (query: Record<string, string | number>) =>
    request(t.http).get('/volunteers').query(query).set(bearer(coordinator));

  it('lists the pending queue oldest first, with filters and pages, and audits each read', async () => {
    const pending = await list({ status: 'pending' }).expect(200);
    expect(pending.body.items.map((v: { email: string }) => v.email)).toEqual([
      'carla@example.org',
      'dev@example.org',
      'ella@example.org',
    ]);
    expect(pending.body.items[0]).toMatchObject({ postcode: 'B1 1AA', region: 'West Midlands' });

    expect((await list({ status: 'pending', profession: 'doctor' }).expect(200)).body.total).toBe(
      1,
    );
    expect((await list({ q: 'ELLA' }).expect(200)).body.items[0].email).toBe('ella@example.org');
    expect((await list({ region: 'london' }).expect(200)).body.total).toBe(0);
    const page2 = await list({ status: 'pending', pageSize: 2, page: 2 }).expect(200);
    expect(page2.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page2.body.items).toHaveLength(1);
    await list({ status: 'sleeping' }).expect(400);

    const [{ listed }] = await t.dataSource.query(
      `SELECT count(*)::int AS listed FROM audit_events WHERE action = 'volunteer.listed' AND subject_id = $1`,
      [ids['ella@example.org']],
    );
    // Ella was on the first list, the search for her, and the second page.
    expect(listed).toBe(3);
  });

  it('audits a coordinator reading one profile, but not the volunteer reading their own', async () => {
    const id = ids['dev@example.org'];
    await request(t.http).get(`/volunteers/${id}`).set(bearer(coordinator)).expect(200);
    const own = await signIn(t, 'dev@example.org');
    await request(t.http).get(`/volunteers/${id}`).set(bearer(own)).expect(200);
    const reads = await t.dataSource.query(
      `SELECT actor_role FROM audit_events WHERE action = 'volunteer.read' AND subject_id = $1`,
      [id],
    );
    expect(reads).toEqual([{ actor_role: 'coordinator' }]);
  });

  it('approves and rejects with a reason, tells the volunteer, and refuses a decision already made', async () => {
    const carla = ids['carla@example.org'];
    const approved = await request(t.http)
      .post(`/volunteers/${carla}/approve`)
      .set(bearer(coordinator))
      .send({})
      .expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', reviewedAt: expect.any(String) });
    await request(t.http)
      .post(`/volunteers/${carla}/approve`)
      .set(bearer(coordinator))
      .send({})
      .expect(422);

    const dev = ids['dev@example.org'];
    await request(t.http)
      .post(`/volunteers/${dev}/reject`)
      .set(bearer(coordinator))
      .send({})
      .expect(400);
    const rejected = await request(t.http)
      .post(`/volunteers/${dev}/reject`)
      .set(bearer(coordinator))
      .send({ reason: 'Please add your GMC number' })
      .expect(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      statusReason: 'Please add your GMC number',
    });

    const mails = await t.dataSource.query(
      `SELECT to_email, subject, body FROM outbox_messages ORDER BY created_at`,
    );
    expect(mails).toEqual([
      expect.objectContaining({
        to_email: 'carla@example.org',
        subject: expect.stringMatching(/approved/),
      }),
      expect.objectContaining({
        to_email: 'dev@example.org',
        body: expect.stringContaining('Please add your GMC number'),
      }),
    ]);

    // Mending the profile sends it back to the queue.
    const own = await signIn(t, 'dev@example.org');
    const mended = await request(t.http)
      .patch('/volunteers/me')
      .set(bearer(own))
      .send({ registration: { body: 'gmc', number: '1234567' } })
      .expect(200);
    expect(mended.body.status).toBe('pending');
    await request(t.http)
      .post('/volunteers/00000000-0000-4000-8000-000000000000/approve')
      .set(bearer(coordinator))
      .send({})
      .expect(404);
  });
});

describe('export and erasure', () => {
  let t: TestApp;
  let token: string;
  let volunteerId: string;
  let coordinator: string;

  beforeAll(async () => {
    t = await createTestApp();
    coordinator = await coordinatorToken(t);
    token = await signUp(t, 'fatima@example.org', 'volunteer');
    volunteerId = (
      await request(t.http)
        .post('/volunteers')
        .set(bearer(token))
        .send({
          ...SIGN_UP,
          displayName: 'Fatima Khan',
          specialty: 'Emergency medicine',
          registration: { body: 'gmc', number: '1112223' },
          checks: [{ type: 'dbs_update_service', date: '2025-03-01', consent: true }],
          availability: { unavailable: [{ from: '2027-01-01', to: '2027-01-14' }] },
        })
        .expect(201)
    ).body.id;
    await request(t.http)
      .post(`/volunteers/${volunteerId}/approve`)
      .set(bearer(coordinator))
      .send({})
      .expect(200);
    // Two past visits (the visit workflow records them; here they are written directly).
    await t.dataSource.query(
      `INSERT INTO visits (volunteer_id, school_urn, starts_at, ends_at, status, pupils_reached) VALUES
         ($1, 105443, '2026-03-10 09:00+00', '2026-03-10 10:00+00', 'completed', 60),
         ($1, 100000, '2026-05-12 13:00+00', '2026-05-12 14:00+00', 'completed', 28),
         ($1, 100008, now() + interval '30 days', now() + interval '30 days 1 hour', 'confirmed', NULL)`,
      [volunteerId],
    );
  });
  afterAll(() => t.close());

  it('exports everything held about the volunteer', async () => {
    const response = await request(t.http)
      .get('/volunteers/me/export')
      .set(bearer(token))
      .expect(200);
    expect(response.headers['content-disposition']).toContain('attachment');
    const data = response.body;
    expect(data.account).toMatchObject({ email: 'fatima@example.org', role: 'volunteer' });
    expect(data.profile).toMatchObject({
      id: volunteerId,
      displayName: 'Fatima Khan',
      specialty: 'Emergency medicine',
      postcode: 'M13 9PL',
      registration: { body: 'gmc', number: '1112223' },
      checks: [
        expect.objectContaining({ type: 'dbs_update_service', date: '2025-03-01', consent: true }),
      ],
      availability: expect.objectContaining({
        unavailable: [{ from: '2027-01-01', to: '2027-01-14' }],
      }),
    });
    expect(data.locationUsedForMatching).toMatchObject({ outcode: 'M13' });
    expect(data.visits).toEqual([
      expect.objectContaining({
        schoolUrn: 105443,
        schoolName: 'Plymouth Grove Primary School',
        pupilsReached: 60,
      }),
      expect.objectContaining({ schoolUrn: 100000, status: 'completed' }),
      expect.objectContaining({ schoolUrn: 100008, status: 'confirmed' }),
    ]);
    expect(data.auditEvents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'volunteer.approved', actorRole: 'coordinator' }),
      ]),
    );
    expect(data.emails).toEqual([
      expect.objectContaining({ subject: expect.stringMatching(/approved/) }),
    ]);
  });

  it('erases: no sign-in, the e-mail is free again, personal data gone, visit counts unchanged', async () => {
    const visitsBefore = await t.dataSource.query(
      `SELECT count(*)::int AS visits, sum(pupils_reached)::int AS pupils FROM visits WHERE status = 'completed'`,
    );
    await request(t.http).delete('/volunteers/me').set(bearer(token)).expect(204);

    await request(t.http)
      .post('/auth/login')
      .send({ email: 'fatima@example.org', password: PASSWORD })
      .expect(401);
    await request(t.http).get('/volunteers/me').set(bearer(token)).expect(401);

    const [row] = await t.dataSource.query('SELECT * FROM volunteers WHERE id = $1', [volunteerId]);
    expect(row).toMatchObject({
      user_id: null,
      display_name: 'Erased volunteer',
      specialty: null,
      postcode: null,
      outcode: null,
      latitude: null,
      registration_number: null,
      erased_at: expect.any(Date),
    });
    const leftovers = await t.dataSource.query(
      `SELECT (SELECT count(*) FROM volunteer_checks WHERE volunteer_id = $1)::int AS checks,
              (SELECT count(*) FROM volunteer_unavailability WHERE volunteer_id = $1)::int AS dates,
              (SELECT count(*) FROM outbox_messages WHERE to_email = 'fatima@example.org')::int AS emails`,
      [volunteerId],
    );
    expect(leftovers).toEqual([{ checks: 0, dates: 0, emails: 0 }]);

    const visitsAfter = await t.dataSource.query(
      `SELECT count(*)::int AS visits, sum(pupils_reached)::int AS pupils FROM visits WHERE status = 'completed'`,
    );
    expect(visitsAfter).toEqual(visitsBefore);
    expect(visitsAfter).toEqual([{ visits: 2, pupils: 88 }]);
    // The visit still to come is called off: it cannot happen without the volunteer.
    const [upcoming] = await t.dataSource.query(
      `SELECT status FROM visits WHERE school_urn = 100008`,
    );
    expect(upcoming.status).toBe('cancelled');

    // The erased profile is gone from coordinators' lists and reads.
    await request(t.http).get(`/volunteers/${volunteerId}`).set(bearer(coordinator)).expect(404);
    const listed = await request(t.http).get('/volunteers').set(bearer(coordinator)).expect(200);
    expect(listed.body.items.map((v: { id: string }) => v.id)).not.toContain(volunteerId);

    // The same person can sign up again, as a new volunteer.
    const again = await signUp(t, 'fatima@example.org', 'volunteer');
    const fresh = await request(t.http)
      .post('/volunteers')
      .set(bearer(again))
      .send(SIGN_UP)
      .expect(201);
    expect(fresh.body.id).not.toBe(volunteerId);
  });
});
