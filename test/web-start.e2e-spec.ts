import request from 'supertest';
import {
  type Browser,
  launchChromium,
  newPage,
  type Page,
  reviewPage,
  startWebApp,
  type WebTestApp,
} from './support/browser';

jest.setTimeout(60_000);

describe('Start page, sign-in and sign-out', () => {
  let t: WebTestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await startWebApp({ template: 'empty' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    page = await newPage(browser);
  });
  afterEach(async () => {
    await page.context().close();
  });

  it('explains the service and offers a route for each kind of visitor', async () => {
    await page.goto(`${t.baseUrl}/`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('health careers');
    expect(
      await page.getByRole('link', { name: /I’m a health professional/ }).getAttribute('href'),
    ).toBe('/volunteer/sign-up');
    expect(await page.getByRole('link', { name: /I work at a school/ }).getAttribute('href')).toBe(
      '/school/sign-up',
    );
    expect(await reviewPage(page, 'start')).toEqual([]);
  });

  it('shows a wrong password in the error summary and next to the field', async () => {
    await page.goto(`${t.baseUrl}/sign-in`);
    expect(await reviewPage(page, 'sign-in')).toEqual([]);
    await page.getByLabel('Email address').fill('nobody@example.org');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    expect(await summary.innerText()).toContain('The e-mail address or password is not right');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await reviewPage(page, 'sign-in-error')).toEqual([]);
  });

  it('sends a signed-out visitor of a private page to sign in, then back to that page', async () => {
    const response = await request(t.http).get('/coordinator/approvals').expect(303);
    expect(response.headers.location).toBe('/sign-in?next=%2Fcoordinator%2Fapprovals');
  });

  it('refuses a form posted without its form token', async () => {
    const response = await request(t.http)
      .post('/sign-in')
      .type('form')
      .send({ email: 'admin@health-futures.test', password: 'admin-password-for-tests' })
      .expect(403);
    expect(response.text).toContain('This form has expired');
    expect(response.headers['set-cookie'] ?? []).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^hf_access=/)]),
    );
  });

  it('signs in with an HttpOnly, SameSite=Lax cookie and signs out again', async () => {
    await page.goto(`${t.baseUrl}/sign-in?next=%2F`);
    await page.getByLabel('Email address').fill('admin@health-futures.test');
    await page.getByLabel('Password').fill('admin-password-for-tests');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const cookie = (await page.context().cookies()).find((c) => c.name === 'hf_access');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('You have signed out');
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('hf_access');
  });

  it('refreshes an expired sign-in from the refresh cookie, and forgets a bad one', async () => {
    const registered = await request(t.http)
      .post('/auth/register')
      .send({ email: 'head@example.org', password: 'a long enough password', role: 'school_staff' })
      .expect(201);
    const refreshed = await request(t.http)
      .get('/school')
      .set('Cookie', `hf_refresh=${registered.body.refreshToken}`)
      .expect(200);
    const cookies = ([] as string[]).concat(refreshed.headers['set-cookie'] ?? []);
    expect(cookies).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^hf_access=[^;]+;.*HttpOnly.*SameSite=Lax/),
        expect.stringMatching(/^hf_refresh=[^;]+;.*HttpOnly/),
      ]),
    );

    // The refresh token was rotated: using the old one again signs the whole session out.
    const reused = await request(t.http)
      .get('/school')
      .set('Cookie', `hf_refresh=${registered.body.refreshToken}`)
      .expect(303);
    expect(reused.headers.location).toBe('/sign-in?next=%2Fschool');
    expect(([] as string[]).concat(reused.headers['set-cookie'] ?? [])).toEqual(
      expect.arrayContaining([expect.stringMatching(/^hf_refresh=;/)]),
    );
  });

  it('never takes a page cookie as a sign-in for the API', async () => {
    const registered = await request(t.http)
      .post('/auth/register')
      .send({ email: 'cookie@example.org', password: 'a long enough password', role: 'volunteer' })
      .expect(201);
    await request(t.http)
      .get('/me')
      .set('Cookie', `hf_access=${registered.body.accessToken}`)
      .expect(401);
  });

  it('shows a browser a page for an unknown address, and an API client JSON', async () => {
    const page404 = await request(t.http)
      .get('/no-such-page')
      .set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8')
      .expect(404);
    expect(page404.headers['content-type']).toMatch(/^text\/html/);
    expect(page404.text).toContain('Page not found');
    const json = await request(t.http)
      .get('/no-such-page')
      .set('Accept', 'application/json')
      .expect(404);
    expect(json.body.statusCode).toBe(404);
  });
});
