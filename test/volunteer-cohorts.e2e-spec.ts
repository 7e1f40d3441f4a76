import request from 'supertest';
import { bearer, coordinatorToken, PASSWORD, signIn, signUp } from './support/accounts';
import { createTestApp, TestApp } from './support/app';

interface Created {
  line: number;
  email: string;
  volunteerId: string;
}
interface Rejected {
  line: number;
  email: string | null;
  reason: string;
}

const LINK = /https:\/\/healthfutures\.test\/signup\/complete\?token=([A-Za-z0-9_-]+)/;

describe('cohort import: inviting volunteers from a CSV', () => {
  let t: TestApp;
  let coordinator: string;
  let coordinatorId: string;

  beforeAll(async () => {
    t = await createTestApp({ template: 'empty' });
    coordinator = await coordinatorToken(t);
    coordinatorId = (await request(t.http).get('/me').set(bearer(coordinator)).expect(200)).body.id;
    await signUp(t, 'taken@example.org', 'volunteer');
  });
  afterAll(() => t.close());

  const importCsv = (csv: string, token = coordinator) =>
    request(t.http)
      .post('/volunteers/import')
      .set(bearer(token))
      .set('Content-Type', 'text/csv')
      .send(csv);

  const countUsers = async (emails: string[]): Promise<Record<string, number>> => {
    const rows: { email: string; n: number }[] = await t.dataSource.query(
      `SELECT lower(email) AS email, count(*)::int AS n FROM users
        WHERE lower(email) = ANY($1) GROUP BY lower(email)`,
      [emails.map((e) => e.toLowerCase())],
    );
    return Object.fromEntries(emails.map((e) => [e, rows.find((r) => r.email === e)?.n ?? 0]));
  };

  const outboxFor = (email: string): Promise<{ subject: string; body: string }[]> =>
    t.dataSource.query(`SELECT subject, body FROM outbox_messages WHERE to_email = $1`, [email]);

  const linkTokenFor = async (email: string): Promise<string> => {
    const messages = await outboxFor(email);
    expect(messages).toHaveLength(1);
    const match = LINK.exec(messages[0].body);
    expect(match).not.toBeNull();
    return match![1];
  };

  describe('a cohort with good and bad rows', () => {
    const csv = [
      'name,email,profession,postcode,organisation,specialty',
      'Asha Patel,asha.patel@cohort.example.org,doctor,M13 9PL,Manchester University NHS FT,Paediatrics',
      'Ben Jones,ben.jones@@cohort,nurse,LS1 4AP,,',
      'Cara Smith,cara.smith@cohort.example.org,surgeon,B15 2TT,,',
      'Dev Rao,dev.rao@cohort.example.org,pharmacist,ZZ99 9ZZ,,',
      'Eve Long,eve.long@cohort.example.org,midwife,12345,,',
      'Finn Doyle,Asha.Patel@cohort.example.org,paramedic,NE1 4LP,,',
      'Gita Shah,taken@example.org,dentist,E1 6AN,,',
      ',nameless@cohort.example.org,nurse,BS8 1TH,,',
      '',
      'Hal Green,hal.green@cohort.example.org,Nurse,sw1a 1aa,,',
      '',
    ].join('\n');
    let created: Created[];
    let rejected: Rejected[];

    beforeAll(async () => {
      const response = await importCsv(csv).expect(201);
      ({ created, rejected } = response.body);
    });

    it('creates the good rows, naming their file lines', () => {
      expect(created).toEqual([
        {
          line: 2,
          email: 'asha.patel@cohort.example.org',
          volunteerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        },
        {
          line: 11,
          email: 'hal.green@cohort.example.org',
          volunteerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        },
      ]);
      expect(created[0].volunteerId).not.toBe(created[1].volunteerId);
    });

    it('rejects each bad row with its line and a reason saying what is wrong', () => {
      expect(rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
      const byLine = new Map(rejected.map((r) => [r.line, r]));

      expect(byLine.get(3)).toMatchObject({ email: 'ben.jones@@cohort' });
      expect(byLine.get(3)!.reason).toMatch(/ben\.jones@@cohort.*not an e-mail address/);

      expect(byLine.get(4)).toMatchObject({ email: 'cara.smith@cohort.example.org' });
      expect(byLine.get(4)!.reason).toMatch(/profession "surgeon" is not one of/);
      expect(byLine.get(4)!.reason).toContain('medical_student');

      expect(byLine.get(5)).toMatchObject({ email: 'dev.rao@cohort.example.org' });
      expect(byLine.get(5)!.reason).toMatch(/district ZZ99 is not known/);

      expect(byLine.get(6)).toMatchObject({ email: 'eve.long@cohort.example.org' });
      expect(byLine.get(6)!.reason).toMatch(/"12345" is not a UK postcode/);

      expect(byLine.get(7)).toMatchObject({ email: 'asha.patel@cohort.example.org' });
      expect(byLine.get(7)!.reason).toMatch(/already appears on line 2/);

      expect(byLine.get(8)).toMatchObject({ email: 'taken@example.org' });
      expect(byLine.get(8)!.reason).toMatch(/account with this e-mail already exists/);

      expect(byLine.get(9)).toMatchObject({ email: 'nameless@cohort.example.org' });
      expect(byLine.get(9)!.reason).toMatch(/name is missing/);
    });

    it('creates no account for a rejected row and leaves the existing account alone', async () => {
      expect(
        await countUsers([
          'cara.smith@cohort.example.org',
          'dev.rao@cohort.example.org',
          'eve.long@cohort.example.org',
          'nameless@cohort.example.org',
          'taken@example.org',
          'asha.patel@cohort.example.org',
        ]),
      ).toEqual({
        'cara.smith@cohort.example.org': 0,
        'dev.rao@cohort.example.org': 0,
        'eve.long@cohort.example.org': 0,
        'nameless@cohort.example.org': 0,
        'taken@example.org': 1,
        'asha.patel@cohort.example.org': 1,
      });
      // The registered owner of the address still signs in with their own password and has not
      // been given a profile by the import.
      const token = await signIn(t, 'taken@example.org');
      await request(t.http).get('/volunteers/me').set(bearer(token)).expect(404);
      expect(await outboxFor('taken@example.org')).toEqual([]);
    });

    it('keeps what the file says about each created volunteer, pending review', async () => {
      const asha = await request(t.http)
        .get(`/volunteers/${created[0].volunteerId}`)
        .set(bearer(coordinator))
        .expect(200);
      expect(asha.body).toMatchObject({
        id: created[0].volunteerId,
        email: 'asha.patel@cohort.example.org',
        displayName: 'Asha Patel',
        firstName: 'Asha',
        profession: 'doctor',
        postcode: 'M13 9PL',
        outcode: 'M13',
        region: 'North West',
        organisation: 'Manchester University NHS FT',
        specialty: 'Paediatrics',
        medicalSchool: null,
        studyYear: null,
        status: 'pending',
      });
      const hal = await request(t.http)
        .get(`/volunteers/${created[1].volunteerId}`)
        .set(bearer(coordinator))
        .expect(200);
      expect(hal.body).toMatchObject({
        profession: 'nurse',
        postcode: 'SW1A 1AA',
        region: 'London',
        status: 'pending',
      });
    });

    it('puts them in the review queue; they cannot sign in before choosing a password', async () => {
      const queue = await request(t.http)
        .get('/volunteers')
        .query({ status: 'pending', q: 'cohort.example.org' })
        .set(bearer(coordinator))
        .expect(200);
      expect(queue.body.items.map((v: { id: string }) => v.id).sort()).toEqual(
        created.map((c) => c.volunteerId).sort(),
      );
      expect(queue.body.items.every((v: { status: string }) => v.status === 'pending')).toBe(true);

      for (const { email } of created) {
        const refused = await request(t.http)
          .post('/auth/login')
          .send({ email, password: PASSWORD })
          .expect(401);
        expect(refused.body.code).toBe('invalid_credentials');
      }
    });

    it('records a volunteer.invited audit event per created volunteer, by the coordinator', async () => {
      const events: { subject_id: string; actor_id: string; subject_type: string }[] =
        await t.dataSource.query(
          `SELECT subject_id, actor_id, subject_type FROM audit_events
            WHERE action = 'volunteer.invited' AND subject_id = ANY($1)`,
          [created.map((c) => c.volunteerId)],
        );
      expect(events.map((e) => e.subject_id).sort()).toEqual(
        created.map((c) => c.volunteerId).sort(),
      );
      for (const event of events) {
        expect(event).toMatchObject({ actor_id: coordinatorId, subject_type: 'volunteer' });
      }
    });

    it('e-mails each created volunteer one sign-up link', async () => {
      for (const { email } of created) {
        const messages = await outboxFor(email);
        expect(messages).toHaveLength(1);
        expect(messages[0].subject).toMatch(/sign/i);
        expect(messages[0].body).toMatch(LINK);
      }
      const [asha] = await outboxFor('asha.patel@cohort.example.org');
      expect(asha.body).toMatch(/^Dear Asha,/);
      // Only a hash of the secret is kept.
      const token = LINK.exec(asha.body)![1];
      const [{ stored }] = await t.dataSource.query(
        `SELECT count(*)::int AS stored FROM account_setup_tokens WHERE token_hash = $1`,
        [token],
      );
      expect(stored).toBe(0);
    });

    it('finishes sign-up with the link once: then the volunteer signs in and sees their profile', async () => {
      const [asha] = created;
      const token = await linkTokenFor(asha.email);
      const newPassword = 'my own chosen password';

      const completed = await request(t.http)
        .post('/auth/complete-signup')
        .send({ token, password: newPassword })
        .expect(200);
      expect(completed.body.accessToken).toEqual(expect.any(String));
      expect(completed.body.user).toMatchObject({ email: asha.email, role: 'volunteer' });

      const me = await request(t.http)
        .get('/volunteers/me')
        .set(bearer(completed.body.accessToken))
        .expect(200);
      expect(me.body).toMatchObject({ id: asha.volunteerId, status: 'pending' });

      const signedIn = await signIn(t, asha.email, newPassword);
      await request(t.http).get('/volunteers/me').set(bearer(signedIn)).expect(200);

      const again = await request(t.http)
        .post('/auth/complete-signup')
        .send({ token, password: 'a different password' })
        .expect(400);
      expect(again.body.errors[0].field).toBe('token');
      // The second use did not change the password.
      await request(t.http)
        .post('/auth/login')
        .send({ email: asha.email, password: 'a different password' })
        .expect(401);
      await signIn(t, asha.email, newPassword);
    });

    it('refuses a made-up sign-up token', async () => {
      const madeUp = await request(t.http)
        .post('/auth/complete-signup')
        .send({ token: 'x'.repeat(43), password: 'my own chosen password' })
        .expect(400);
      expect(madeUp.body.errors[0].field).toBe('token');
      // The other invited volunteer is still waiting for their own link.
      await request(t.http)
        .post('/auth/login')
        .send({ email: created[1].email, password: 'my own chosen password' })
        .expect(401);
    });
  });

  it('accepts spreadsheet header spellings and keeps medical schools and years for students', async () => {
    const csv =
      'Name,E-mail,Profession,Postcode,Organisation,Medical school,Year\r\n' +
      'Ila Kaur,Ila.Kaur@students.example.org,Medical student,M13,University of Manchester,Manchester Medical School,3\r\n' +
      'Jon Reed,jon.reed@students.example.org,Doctor,LS1,Leeds Teaching Hospitals,Leeds,2\r\n';
    const response = await importCsv(csv).expect(201);
    expect(response.body.rejected).toEqual([]);
    expect(response.body.created).toEqual([
      expect.objectContaining({ line: 2, email: 'ila.kaur@students.example.org' }),
      expect.objectContaining({ line: 3, email: 'jon.reed@students.example.org' }),
    ]);
    const [ila, jon] = response.body.created as Created[];

    const student = await request(t.http)
      .get(`/volunteers/${ila.volunteerId}`)
      .set(bearer(coordinator))
      .expect(200);
    expect(student.body).toMatchObject({
      displayName: 'Ila Kaur',
      profession: 'medical_student',
      organisation: 'University of Manchester',
      medicalSchool: 'Manchester Medical School',
      studyYear: 3,
      postcode: 'M13',
      outcode: 'M13',
      status: 'pending',
    });

    // A year of study is kept for students only.
    const doctor = await request(t.http)
      .get(`/volunteers/${jon.volunteerId}`)
      .set(bearer(coordinator))
      .expect(200);
    expect(doctor.body).toMatchObject({
      profession: 'doctor',
      organisation: 'Leeds Teaching Hospitals',
      medicalSchool: null,
      studyYear: null,
    });
  });

  it('rejects only the short row when the first row leaves out a required cell', async () => {
    const csv =
      'name,email,profession,postcode\n' +
      'Kit Short,kit.short@cohort.example.org,doctor\n' +
      'Lea Long,lea.long@cohort.example.org,doctor,M13 9PL\n';
    const response = await importCsv(csv);
    // The header has every column: the file must not be refused because the first row is short.
    expect({ status: response.status, message: response.body.message }).toEqual({
      status: 201,
      message: undefined,
    });
    expect(response.body.created).toEqual([
      expect.objectContaining({ line: 3, email: 'lea.long@cohort.example.org' }),
    ]);
    expect(response.body.rejected).toEqual([
      expect.objectContaining({ line: 2, email: 'kit.short@cohort.example.org' }),
    ]);
    expect(response.body.rejected[0].reason).toMatch(/postcode/);
  });

  describe('refusals', () => {
    const header = 'name,email,profession,postcode\n';
    const row = 'Mo Refused,mo.refused@cohort.example.org,doctor,M13 9PL\n';

    afterAll(async () => {
      expect(await countUsers(['mo.refused@cohort.example.org'])).toEqual({
        'mo.refused@cohort.example.org': 0,
      });
    });

    it('answers 400 without a body', async () => {
      const response = await request(t.http)
        .post('/volunteers/import')
        .set(bearer(coordinator))
        .expect(400);
      expect(response.body.code).toBe('invalid_cohort_file');
      expect(response.body.message).toMatch(/text\/csv/);
      await importCsv('').expect(400);
    });

    it('answers 400 to a JSON body', async () => {
      const response = await request(t.http)
        .post('/volunteers/import')
        .set(bearer(coordinator))
        .send({ csv: header + row })
        .expect(400);
      expect(response.body.code).toBe('invalid_cohort_file');
    });

    it('answers 400 naming the missing columns when the header lacks them', async () => {
      const response = await importCsv(
        'name,email\nMo Refused,mo.refused@cohort.example.org\n',
      ).expect(400);
      expect(response.body.code).toBe('invalid_cohort_file');
      expect(response.body.message).toMatch(/missing: profession, postcode/);
    });

    it('answers 403 to volunteers and school staff, 401 without a token', async () => {
      const volunteer = await signUp(t, 'plain.volunteer@example.org', 'volunteer');
      const staff = await signUp(t, 'head@school.example.org', 'school_staff');
      await importCsv(header + row, volunteer).expect(403);
      await importCsv(header + row, staff).expect(403);
      await request(t.http)
        .post('/volunteers/import')
        .set('Content-Type', 'text/csv')
        .send(header + row)
        .expect(401);
    });
  });

  it('creates each account once when the same cohort is sent twice at the same time', async () => {
    const emails = ['ned@twice.example.org', 'ola@twice.example.org', 'pat@twice.example.org'];
    const csv =
      'name,email,profession,postcode\n' +
      `Ned Twice,${emails[0]},doctor,M13 9PL\n` +
      `Ola Twice,${emails[1]},nurse,LS1 4AP\n` +
      `Pat Twice,${emails[2]},midwife,B15 2TT\n`;

    const answers = await Promise.all([importCsv(csv), importCsv(csv)]);
    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    const created = answers.flatMap((a) => a.body.created as Created[]);
    const rejected = answers.flatMap((a) => a.body.rejected as Rejected[]);
    expect(created.map((c) => c.email).sort()).toEqual(emails);
    expect(rejected.map((r) => r.email).sort()).toEqual(emails);
    for (const r of rejected) expect(r.reason).toMatch(/already exists/);

    expect(await countUsers(emails)).toEqual(Object.fromEntries(emails.map((e) => [e, 1])));
    const [{ volunteers }] = await t.dataSource.query(
      `SELECT count(*)::int AS volunteers FROM volunteers v JOIN users u ON u.id = v.user_id
        WHERE u.email = ANY($1)`,
      [emails],
    );
    expect(volunteers).toBe(3);
    for (const email of emails) expect(await outboxFor(email)).toHaveLength(1);
  });
});
