import request from 'supertest';
import { bearer, coordinatorToken, PASSWORD, signUp } from './support/accounts';
import {
  type Browser,
  launchChromium,
  newPage,
  type Page,
  reviewPage,
  startWebApp,
  type WebTestApp,
} from './support/browser';
import { approvedVolunteer, schoolDays } from './support/matching';

jest.setTimeout(120_000);

const PLYMOUTH_GROVE = 105443; // Manchester, M13 0AQ
const HEAD = 'head@plymouthgrove.example.org';

describe('School journey in the browser', () => {
  let t: WebTestApp;
  let browser: Browser;
  let coordinator: string;

  beforeAll(async () => {
    t = await startWebApp();
    browser = await launchChromium();
    coordinator = await coordinatorToken(t);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(page: Page, email: string) {
    await page.goto(`${t.baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('signs up, finds the school, asks for a visit, invites, and follows the visit through', async () => {
    const page = await newPage(browser);
    const violations: Record<string, string[]> = {};
    const review = async (name: string) => {
      violations[name] = await reviewPage(page, `school-${name}`);
    };

    // Sign up and find the school by postcode.
    await page.goto(`${t.baseUrl}/school/sign-up`);
    await review('sign-up');
    await page.getByLabel('Work email address').fill(HEAD);
    await page.getByLabel('Create a password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(new URL(page.url()).pathname).toBe('/school/find');
    await review('find');
    await page.getByLabel('School name, URN or postcode').fill('M13 0AQ');
    await page.getByRole('button', { name: 'Search' }).click();
    await review('find-results');
    await page
      .getByRole('link', { name: /This is my school.*Plymouth Grove Primary School/ })
      .click();
    await review('ask');
    await page.getByLabel('Your job title').fill('Head teacher');
    await page.getByRole('button', { name: 'Ask to represent this school' }).click();
    expect(await page.locator('main').innerText()).toContain('Waiting for approval');
    await review('dashboard-waiting');

    // Not yet approved: the school's pages are not this account's.
    const early = await page.goto(`${t.baseUrl}/school/schools/${PLYMOUTH_GROVE}/requests/new`);
    expect(early?.status()).toBe(404);

    const memberships = await request(t.http)
      .get('/memberships?status=pending')
      .set(bearer(coordinator))
      .expect(200);
    await request(t.http)
      .post(`/memberships/${memberships.body.items[0].id}/approve`)
      .set(bearer(coordinator))
      .send({})
      .expect(200);
    const asha = await approvedVolunteer(t, coordinator, 'asha@example.org', {
      displayName: 'Asha Patel',
      organisation: 'Manchester University NHS FT',
      postcode: 'M13 9PL',
    });

    // An empty request form names every missing answer.
    await page.goto(`${t.baseUrl}/school`);
    await review('dashboard');
    await page.getByRole('button', { name: 'Ask for a visit' }).click();
    await review('new-request');
    await page.getByRole('button', { name: 'Send request' }).click();
    const summary = await page.locator('.nhsuk-error-summary').innerText();
    expect(summary).toContain('activity');
    expect(summary).toContain('supervisor');
    await review('new-request-errors');

    const [day] = schoolDays(1);
    await page.getByLabel('Activity').selectOption('careers_talk');
    await page.getByLabel('In person').check();
    await page.locator('#slots-0-startsAt').fill(day);
    await page.locator('#slots-0-time').fill('10:00');
    await page.getByLabel('Year 5').check();
    await page.getByLabel('Year 6').check();
    await page.getByLabel('How many pupils?').fill('60');
    await page.getByLabel('Member of staff who will stay with the volunteer').fill('Mrs Rahman');
    await page.getByRole('button', { name: 'Send request' }).click();
    expect(new URL(page.url()).pathname).toMatch(/^\/school\/requests\/[0-9a-f-]{36}$/);
    const requestId = new URL(page.url()).pathname.split('/').pop()!;

    // Candidates with the reasons for their rank, never their contact details.
    const main = page.locator('main');
    expect(await main.innerText()).toContain('1. Asha, doctor');
    expect(await main.innerText()).toMatch(/km away/);
    expect(await page.content()).not.toContain('asha@example.org');
    await review('request');
    await page.getByLabel('Message to Asha (optional)').fill('Year 5 would love to meet you');
    await page.getByRole('button', { name: 'Invite Asha' }).click();
    expect(await main.innerText()).toContain('Invitations sent');
    expect(await main.innerText()).toMatch(/Asha \(doctor\) for .*: pending/);

    // The volunteer accepts; the school now sees the visit with their contact details.
    const invitations = await request(t.http)
      .get('/volunteers/me/invitations')
      .set(bearer(asha.token))
      .expect(200);
    const accepted = await request(t.http)
      .post(`/invitations/${invitations.body[0].id}/accept`)
      .set(bearer(asha.token))
      .expect(200);
    const visitId = accepted.body.visit.id;
    await page.goto(`${t.baseUrl}/school`);
    await page.getByRole('link', { name: /at 10:00/ }).click();
    expect(new URL(page.url()).pathname).toBe(`/school/visits/${visitId}`);
    expect(await main.innerText()).toContain('asha@example.org');
    await review('visit');

    // Once the visit has taken place: mark it done and give feedback.
    await t.dataSource.query(
      `UPDATE visits SET starts_at = starts_at - interval '14 days', ends_at = ends_at - interval '14 days' WHERE id = $1`,
      [visitId],
    );
    await page.reload();
    await page.getByLabel('How many pupils took part?').fill('58');
    await page.getByRole('button', { name: 'Mark as completed' }).click();
    await review('visit-completed');
    await page.getByLabel('5 – excellent').check();
    await page.getByLabel('Comments (optional)').fill('The children loved it');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    expect(await main.innerText()).toContain('You rated this visit 5 out of 5');
    const visit = await request(t.http)
      .get(`/visits/${visitId}`)
      .set(bearer(coordinator))
      .expect(200);
    expect(visit.body).toMatchObject({ status: 'completed', pupilsReached: 58 });
    expect(visit.body.feedback).toEqual([expect.objectContaining({ side: 'school', rating: 5 })]);

    const requestAfter = await request(t.http)
      .get(`/requests/${requestId}`)
      .set(bearer(coordinator));
    expect(requestAfter.body.volunteersConfirmed).toBe(1);
    expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((k) => [k, []])));
    await page.context().close();
  });

  it('keeps school pages from volunteers, from other schools and from signed-out visitors', async () => {
    const signedOut = await request(t.http).get('/school').expect(303);
    expect(signedOut.headers.location).toBe('/sign-in?next=%2Fschool');

    await signUp(t, 'volunteer-only@example.org', 'volunteer');
    const page = await newPage(browser);
    await signIn(page, 'volunteer-only@example.org');
    const forbidden = await page.goto(`${t.baseUrl}/school`);
    expect(forbidden?.status()).toBe(403);
    expect(await reviewPage(page, 'school-forbidden')).toEqual([]);
    await page.context().close();

    // A member of staff of no school cannot read another school's request.
    await signUp(t, 'elsewhere@example.org', 'school_staff');
    const [{ id }] = await t.dataSource.query<{ id: string }[]>(
      'SELECT id FROM visit_requests LIMIT 1',
    );
    const other = await newPage(browser);
    await signIn(other, 'elsewhere@example.org');
    const notFound = await other.goto(`${t.baseUrl}/school/requests/${id}`);
    expect(notFound?.status()).toBe(404);
    await other.context().close();
  });
});
