import request from 'supertest';
import { UsersService } from '../src/users/users.service';
import { createTestApp, TEST_ENV, TestApp } from './support/app';

const PASSWORD = 'a long enough password';

describe('accounts and sign-in', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      template: 'empty',
      env: {
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
        LOGIN_MAX_FAILURES_PER_IP: '8',
        TRUST_PROXY: 'true',
      },
    });
  });
  afterAll(() => t.close());

  const register = (email: string, role = 'volunteer') =>
    request(t.http).post('/auth/register').send({ email, password: PASSWORD, role });
  const login = (email: string, password = PASSWORD, ip = '203.0.113.1') =>
    request(t.http).post('/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  it('registers, signs in, shows /me, rotates the refresh token and revokes the family on reuse', async () => {
    const registered = await register('Asha.Patel@example.org').expect(201);
    expect(registered.body.user).toMatchObject({
      email: 'Asha.Patel@example.org',
      role: 'volunteer',
    });
    expect(registered.body.user.passwordHash).toBeUndefined();

    const signedIn = await login('asha.patel@EXAMPLE.org').expect(200);
    const { accessToken, refreshToken } = signedIn.body;

    const me = await request(t.http)
      .get('/me')
      .set('Authorization', `Bearer ${accessToken}`)
      .expect(200);
    expect(me.body).toMatchObject({ email: 'Asha.Patel@example.org', role: 'volunteer' });

    const rotated = await request(t.http).post('/auth/refresh').send({ refreshToken }).expect(200);
    expect(rotated.body.refreshToken).not.toBe(refreshToken);
    await request(t.http)
      .get('/me')
      .set('Authorization', `Bearer ${rotated.body.accessToken}`)
      .expect(200);

    const reuse = await request(t.http).post('/auth/refresh').send({ refreshToken }).expect(401);
    expect(reuse.body.code).toBe('refresh_token_reused');
    // The thief's replay also ends the legitimate descendant of that token.
    await request(t.http)
      .post('/auth/refresh')
      .send({ refreshToken: rotated.body.refreshToken })
      .expect(401);
  });

  it('lets only one of two concurrent refreshes with the same token win', async () => {
    await register('concurrent@example.org').expect(201);
    const { refreshToken } = (await login('concurrent@example.org').expect(200)).body;
    const answers = await Promise.all(
      [1, 2].map(() => request(t.http).post('/auth/refresh').send({ refreshToken })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
  });

  it('signs out: the refresh token stops working', async () => {
    await register('leaver@example.org').expect(201);
    const { refreshToken } = (await login('leaver@example.org').expect(200)).body;
    await request(t.http).post('/auth/logout').send({ refreshToken }).expect(204);
    await request(t.http).post('/auth/refresh').send({ refreshToken }).expect(401);
  });

  it('refuses a second account with the same e-mail in any case', async () => {
    await register('dup@example.org').expect(201);
    const again = await register('DUP@example.org', 'school_staff').expect(409);
    expect(again.body.errors[0]).toMatchObject({ field: 'email', rule: 'email_taken' });
  });

  it('creates one account when the same e-mail registers twice at once', async () => {
    const answers = await Promise.all([
      register('twice@example.org'),
      register('TWICE@example.org'),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const [{ accounts }] = await t.dataSource.query(
      `SELECT count(*)::int AS accounts FROM users WHERE email = 'twice@example.org'`,
    );
    expect(accounts).toBe(1);
  });

  it('only lets volunteers and school staff register themselves', async () => {
    await register('head@example.org', 'school_staff').expect(201);
    const coordinator = await register('sneaky@example.org', 'coordinator').expect(400);
    expect(coordinator.body.errors).toEqual([
      expect.objectContaining({ field: 'role', rule: 'isIn' }),
    ]);
    await register('sneaky@example.org', 'admin').expect(400);
  });

  it('answers 400 naming the field for unknown or invalid fields', async () => {
    const unknown = await request(t.http)
      .post('/auth/register')
      .send({ email: 'x@example.org', password: PASSWORD, role: 'volunteer', isAdmin: true })
      .expect(400);
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({ field: 'isAdmin', rule: 'unknownField' }),
    ]);

    const invalid = await request(t.http)
      .post('/auth/register')
      .send({ email: 'not-an-email', password: 'short', role: 'volunteer' })
      .expect(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'email',
      'password',
    ]);
  });

  it('throttles an account after repeated wrong passwords, even for the right one', async () => {
    await register('target@example.org').expect(201);
    for (let i = 0; i < 3; i++) await login('target@example.org', 'wrong password!').expect(401);
    const blocked = await login('target@example.org').expect(429);
    expect(blocked.body.code).toBe('too_many_attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('throttles one address guessing across many accounts', async () => {
    const ip = '198.51.100.7';
    for (let i = 0; i < 8; i++)
      await login(`nobody${i}@example.org`, 'guess guess', ip).expect(401);
    await login('someone-else@example.org', 'guess guess', ip).expect(429);
    // Another address is not affected.
    await register('unaffected@example.org').expect(201);
    await login('unaffected@example.org', PASSWORD, '198.51.100.8').expect(200);
  });

  it('protects routes by default: no token 401, bad token 401', async () => {
    await request(t.http).get('/me').expect(401);
    await request(t.http).get('/me').set('Authorization', 'Bearer not.a.token').expect(401);
  });

  describe('administrators', () => {
    let adminToken: string;
    let volunteerToken: string;

    beforeAll(async () => {
      adminToken = (
        await login(TEST_ENV.BOOTSTRAP_ADMIN_EMAIL, TEST_ENV.BOOTSTRAP_ADMIN_PASSWORD).expect(200)
      ).body.accessToken;
      await register('plain@example.org').expect(201);
      volunteerToken = (await login('plain@example.org').expect(200)).body.accessToken;
    });

    it('has the bootstrap administrator', async () => {
      const me = await request(t.http)
        .get('/me')
        .set('Authorization', `Bearer ${adminToken}`)
        .expect(200);
      expect(me.body.role).toBe('admin');
    });

    it('lets an admin create a coordinator, who can sign in but not create accounts', async () => {
      const created = await request(t.http)
        .post('/admin/users')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ email: 'coordinator@msc.example.org', password: PASSWORD })
        .expect(201);
      expect(created.body).toMatchObject({
        email: 'coordinator@msc.example.org',
        role: 'coordinator',
      });

      const coordinatorToken = (await login('coordinator@msc.example.org').expect(200)).body
        .accessToken;
      await request(t.http)
        .post('/admin/users')
        .set('Authorization', `Bearer ${coordinatorToken}`)
        .send({ email: 'another@msc.example.org', password: PASSWORD })
        .expect(403);
    });

    it('refuses account creation to volunteers (403) and to anonymous callers (401)', async () => {
      await request(t.http)
        .post('/admin/users')
        .set('Authorization', `Bearer ${volunteerToken}`)
        .send({ email: 'x@msc.example.org', password: PASSWORD })
        .expect(403);
      await request(t.http)
        .post('/admin/users')
        .send({ email: 'x@msc.example.org', password: PASSWORD })
        .expect(401);
    });

    it('does not create a second administrator when the service starts again', async () => {
      await t.app.get(UsersService).onApplicationBootstrap();
      const [{ admins }] = await t.dataSource.query(
        `SELECT count(*)::int AS admins FROM users WHERE role = 'admin'`,
      );
      expect(admins).toBe(1);
    });
  });
});
