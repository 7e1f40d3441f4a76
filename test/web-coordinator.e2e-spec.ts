import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { londonDate } from '../src/calendar/london-time';
import { bearer, coordinatorToken, PASSWORD, signUp } from './support/accounts';
import {
  type Browser,
  launchChromium,
  newPage,
  type Page,
  reviewPage,
  screenshot,
  startWebApp,
  type WebTestApp,
} from './support/browser';

jest.setTimeout(120_000);

const COORDINATOR = 'outreach.lead@msc.example.org';
const VOLUNTEER = 'priya.pending@example.org';
const STAFF = 'sam.staff@example.org';
const PLYMOUTH_GROVE = 105443; // Manchester, North West, high-need
const NORTH_WEST = 'E12000002';
const MANCHESTER = 'E08000003';
// Far from the volunteer in Manchester, so its cold spots stay cold.
const BIRMINGHAM = 'E08000025';

type Row = Record<string, string | number | null>;

/** A figure as the tables show it ("1,234", "4.5%", "–"), as a number or null. */
const shownFigure = (shown: string) => (shown === '–' ? null : Number(shown.replace(/[,%]/g, '')));
const csvFigure = (value: unknown) => (value === '' ? null : Number(value));

async function signInPage(page: Page, baseUrl: string, email: string, password = PASSWORD) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/sign-in'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

/** The text of each body cell, row by row, of the table with this caption. */
async function tableCells(page: Page, caption: string | RegExp): Promise<string[][]> {
  const table = page
    .locator('table')
    .filter({ has: page.locator('caption', { hasText: caption }) });
  const columns = await table.locator('thead th').count();
  const cells = (await table.locator('tbody th, tbody td').allTextContents()).map((c) => c.trim());
  return Array.from({ length: cells.length / columns }, (_, i) =>
    cells.slice(i * columns, (i + 1) * columns),
  );
}

describe('Coordinator pages: approvals, coverage map and tables, equity', () => {
  let t: WebTestApp;
  let browser: Browser;
  let coordinator: string;
  let page: Page;
  let volunteerId: string;
  let membershipId: string;

  beforeAll(async () => {
    t = await startWebApp();
    browser = await launchChromium();
    coordinator = await coordinatorToken(t, COORDINATOR);
    // Outreach at a high-need school, so that the figures are not all zero.
    await request(t.http)
      .post('/coverage/outreach')
      .set(bearer(coordinator))
      .send({
        urn: PLYMOUTH_GROVE,
        date: londonDate(new Date(Date.now() - 10 * 86_400_000)),
        pupilsReached: 60,
        activity: 'careers_talk',
      })
      .expect(201);

    const volunteer = await signUp(t, VOLUNTEER, 'volunteer');
    volunteerId = (
      await request(t.http)
        .post('/volunteers')
        .set(bearer(volunteer))
        .send({
          displayName: 'Priya Pending',
          profession: 'nurse',
          postcode: 'M13 9PL',
          organisation: 'Manchester University NHS Foundation Trust',
        })
        .expect(201)
    ).body.id;
    const staff = await signUp(t, STAFF, 'school_staff');
    membershipId = (
      await request(t.http)
        .post(`/schools/${PLYMOUTH_GROVE}/memberships`)
        .set(bearer(staff))
        .send({ jobTitle: 'Deputy head' })
        .expect(201)
    ).body.id;

    page = await newPage(browser);
    await signInPage(page, t.baseUrl, COORDINATOR);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('approves a pending volunteer and a pending member of school staff', async () => {
    expect(new URL(page.url()).pathname).toBe('/coordinator/approvals');
    const main = page.locator('main');
    expect(await main.innerText()).toEqual(
      expect.stringMatching(/Priya Pending[\s\S]*Nurse[\s\S]*M13[\s\S]*Manchester University/),
    );
    expect(await main.innerText()).toEqual(
      expect.stringMatching(new RegExp(`${STAFF}[\\s\\S]*Plymouth Grove[\\s\\S]*Deputy head`)),
    );
    expect(await reviewPage(page, 'coordinator-approvals')).toEqual([]);

    // A rejection needs a reason: the error points at this volunteer's reason field.
    await page.locator('summary', { hasText: 'Reject Priya Pending' }).click();
    await page.getByRole('button', { name: 'Reject Priya Pending', exact: true }).click();
    const summary = page.locator('.nhsuk-error-summary');
    expect(await summary.innerText()).toContain('Enter a reason of 3 to 500 characters');
    expect(await summary.locator('a').getAttribute('href')).toBe(
      `#volunteer-${volunteerId}-reason`,
    );
    expect(await page.locator(`#volunteer-${volunteerId}-reason`).isVisible()).toBe(true);
    expect(await reviewPage(page, 'coordinator-approvals-error')).toEqual([]);

    await page.getByRole('button', { name: 'Approve Priya Pending' }).click();
    await page.waitForURL('**/coordinator/approvals?done=volunteer-approved');
    expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain(
      'Volunteer approved',
    );
    await page.getByRole('button', { name: `Approve ${STAFF} for Plymouth Grove` }).click();
    await page.waitForURL('**/coordinator/approvals?done=membership-approved');
    expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain(
      'Member of staff approved',
    );
    expect(await main.innerText()).toContain('No volunteers are waiting');
    expect(await main.innerText()).toContain('No members of school staff are waiting');
    expect(await reviewPage(page, 'coordinator-approvals-done')).toEqual([]);

    const volunteer = await request(t.http)
      .get(`/volunteers/${volunteerId}`)
      .set(bearer(coordinator))
      .expect(200);
    expect(volunteer.body.status).toBe('approved');
    const approved = await request(t.http)
      .get('/memberships')
      .query({ status: 'approved' })
      .set(bearer(coordinator))
      .expect(200);
    expect(approved.body.items.map((m: Row) => m.id)).toContain(membershipId);
  });

  it('shows the regions map with a key, the table behind it and the same figures as CSV', async () => {
    await page.goto(`${t.baseUrl}/coordinator/coverage`);
    expect(await page.locator('.hf-map a').count()).toBe(9);
    expect(await page.locator('.hf-legend li').allInnerTexts()).toEqual([
      'Under 20%',
      '20% to under 40%',
      '40% to under 60%',
      '60% to under 80%',
      '80% to 100%',
      'No high-need schools',
    ]);
    expect(await page.locator('main').innerText()).toMatch(/Figures as of \w+day \d+ \w+ \d{4}/);
    expect(await reviewPage(page, 'coordinator-coverage')).toEqual([]);

    const shown = await tableCells(page, 'Coverage by region');
    expect(shown).toHaveLength(10);
    expect(shown.map((r) => r[0])).toContain('North West');
    expect(shown[9][0]).toBe('England');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the regions table (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('coverage-regions.csv');
    const csv = parse(readFileSync(await download.path(), 'utf8'), { columns: true }) as Row[];
    expect(csv).toHaveLength(10);
    const keys = [
      'schools',
      'highNeedSchools',
      'reached',
      'highNeedReached',
      'coveragePct',
      'highNeedCoveragePct',
      'volunteers',
      'schoolsWithinReach',
      'coldSpots',
      'pupilsReached',
    ];
    for (const [region, ...figures] of shown) {
      const row = csv.find((r) => r.region === region)!;
      expect(figures.map(shownFigure)).toEqual(keys.map((k) => csvFigure(row[k])));
    }
    const northWest = csv.find((r) => r.region === 'North West')!;
    expect(Number(northWest.highNeedReached)).toBeGreaterThanOrEqual(1);

    const response = await page.request.get(`${t.baseUrl}/coordinator/coverage/regions.csv`);
    expect(response.headers()['content-type']).toMatch(/^text\/csv/);
    expect(response.headers()['content-disposition']).toBe(
      'attachment; filename="coverage-regions.csv"',
    );
  });

  it('leads from a region on the map to its local authorities and cold spots', async () => {
    await page.goto(`${t.baseUrl}/coordinator/coverage`);
    const area = page.locator(`.hf-map a[href="/coordinator/coverage/regions/${NORTH_WEST}"]`);
    expect(await area.getAttribute('aria-label')).toMatch(
      /^North West: [\d.]+% of high-need schools reached$/,
    );
    await area.click();
    await page.waitForURL(`**/coordinator/coverage/regions/${NORTH_WEST}`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('North West');
    const las = await tableCells(page, 'Local authorities in North West');
    expect(las.map((r) => r[0])).toContain('Manchester');
    expect(await page.locator('.hf-map a').count()).toBe(las.length);
    expect(await page.locator('#cold-spots').isVisible()).toBe(true);
    expect(await reviewPage(page, 'coordinator-region')).toEqual([]);

    const csv = await page.request.get(
      `${t.baseUrl}/coordinator/coverage/local-authorities.csv?region=${NORTH_WEST}`,
    );
    expect(csv.headers()['content-disposition']).toMatch(/^attachment;/);
    expect(parse(await csv.text(), { columns: true })).toHaveLength(las.length);
  });

  it('maps all 153 local authorities with links to each', async () => {
    await page.goto(`${t.baseUrl}/coordinator/coverage`);
    await page.getByRole('link', { name: 'see the map of all local authorities' }).click();
    await page.waitForURL('**/coordinator/coverage/local-authorities');
    expect(await page.locator('.hf-map a').count()).toBe(153);
    expect(await page.locator('.hf-legend li').count()).toBe(6);
    // Every LA with an open primary school: all but the Isles of Scilly.
    expect(await tableCells(page, 'Coverage by local authority')).toHaveLength(152);
    expect(await reviewPage(page, 'coordinator-local-authorities')).toEqual([]);

    await page.locator(`.hf-map a[href$="/${MANCHESTER}"]`).click();
    await page.waitForURL(`**/local-authorities/${MANCHESTER}`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Manchester');
  });

  it('lists the cold spots of a local authority page by page, and as CSV', async () => {
    await page.goto(`${t.baseUrl}/coordinator/coverage/local-authorities/${BIRMINGHAM}`);
    const first = await tableCells(page, /Cold spots in Birmingham/);
    expect(first).toHaveLength(20);
    const [urn, school, fsm, need, nearest, days] = first[0];
    expect(urn).toMatch(/^\d+$/);
    expect(school).not.toBe('');
    expect(fsm).toMatch(/%$/);
    expect(Number(need)).toBeGreaterThan(0);
    expect(nearest).toMatch(/^(None|[\d.]+ km)$/);
    expect(days).toBe('Never');
    expect(await reviewPage(page, 'coordinator-local-authority')).toEqual([]);

    await page
      .getByRole('navigation', { name: 'Pages of cold spots' })
      .getByRole('link', { name: 'Page 2' })
      .click();
    await page.waitForURL(`**/local-authorities/${BIRMINGHAM}?page=2`);
    const second = await tableCells(page, /Cold spots in Birmingham, page 2/);
    expect(second.length).toBeGreaterThan(0);
    expect(second[0][0]).not.toBe(first[0][0]);
    expect(await reviewPage(page, 'coordinator-local-authority-page-2')).toEqual([]);

    const total = Number(
      /(\d+) high-need schools have not been reached/.exec(
        await page.locator('main').innerText(),
      )![1],
    );
    const csv = await page.request.get(
      `${t.baseUrl}/coordinator/coverage/cold-spots.csv?la=${BIRMINGHAM}`,
    );
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    const rows = parse(await csv.text(), { columns: true }) as Row[];
    expect(rows).toHaveLength(total);
    expect(rows[0].urn).toBe(first[0][0]);

    // An authority without open primary schools has a page that says so.
    await page.goto(`${t.baseUrl}/coordinator/coverage/local-authorities/E06000053`);
    expect(await page.locator('main').innerText()).toContain(
      'The school register has no open primary school in Isles of Scilly',
    );
    expect(await reviewPage(page, 'coordinator-local-authority-without-schools')).toEqual([]);

    // The DfE code finds the same authority; unknown codes are not found.
    await page.goto(`${t.baseUrl}/coordinator/coverage/local-authorities/330`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Birmingham');
    for (const path of [
      '/coordinator/coverage/local-authorities/E09999999',
      '/coordinator/coverage/regions/E12999999',
    ]) {
      const response = await page.goto(`${t.baseUrl}${path}`);
      expect(response?.status()).toBe(404);
    }
    expect(await reviewPage(page, 'coordinator-not-found')).toEqual([]);
    const badCsv = await page.request.get(
      `${t.baseUrl}/coordinator/coverage/cold-spots.csv?la=E09999999`,
    );
    expect(badCsv.status()).toBe(404);
  });

  it('shows equity by FSM quintile, campaign progress and the trend', async () => {
    await page.getByRole('link', { name: 'Equity and trend' }).click();
    await page.waitForURL('**/coordinator/equity');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Equity and trend');
    expect(await page.locator('main').innerText()).toMatch(
      /A health volunteer for every primary school: 1 of 16,737 open primary schools reached/,
    );
    const national = await tableCells(page, 'England, by free school meals quintile');
    expect(national.map((r) => r[0])).toEqual([
      'Quintile 1 (fewest pupils on free school meals)',
      'Quintile 2',
      'Quintile 3',
      'Quintile 4',
      'Quintile 5 (most pupils on free school meals)',
      'No free school meals figure',
    ]);
    expect(national[4][2]).toBe('1');
    expect(
      await tableCells(page, 'Coverage by region and free school meals quintile'),
    ).toHaveLength(9);
    const trend = await tableCells(page, /last 12 months/);
    expect(trend).toHaveLength(12);
    expect(trend.reduce((sum, r) => sum + Number(r[3]), 0)).toBe(60);
    expect(await reviewPage(page, 'coordinator-equity')).toEqual([]);

    const csv = await page.request.get(`${t.baseUrl}/coordinator/equity.csv`);
    expect(parse(await csv.text(), { columns: true })).toHaveLength(60);
  });

  it('works with JavaScript off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const noScript = await context.newPage();
      await signInPage(noScript, t.baseUrl, COORDINATOR);
      await noScript.goto(`${t.baseUrl}/coordinator/coverage`);
      expect(await noScript.locator('.hf-map a').count()).toBe(9);
      expect(await noScript.locator('.hf-legend li').count()).toBe(6);
      await noScript.locator(`.hf-map a[href$="/${NORTH_WEST}"]`).click();
      await noScript.waitForURL(`**/regions/${NORTH_WEST}`);
      expect(await tableCells(noScript, 'Local authorities in North West')).not.toHaveLength(0);
      await noScript.goto(`${t.baseUrl}/coordinator/coverage/local-authorities`);
      expect(await noScript.locator('.hf-map a').count()).toBe(153);
      // axe runs as a script, so these pages are checked with JavaScript on above.
      await screenshot(noScript, 'coordinator-local-authorities-no-javascript');
    } finally {
      await context.close();
    }
  });

  it('sends signed-out visitors to sign in, and refuses volunteers and school staff', async () => {
    for (const path of [
      '/coordinator/approvals',
      '/coordinator/coverage',
      '/coordinator/coverage/regions.csv',
      `/coordinator/coverage/local-authorities/${MANCHESTER}`,
      '/coordinator/equity',
    ]) {
      const response = await request(t.http).get(path).expect(303);
      expect(response.headers.location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }

    for (const email of [VOLUNTEER, STAFF]) {
      const other = await newPage(browser);
      try {
        await signInPage(other, t.baseUrl, email);
        const response = await other.goto(`${t.baseUrl}/coordinator/coverage`);
        expect(response?.status()).toBe(403);
        expect(await other.getByRole('heading', { level: 1 }).innerText()).toBe(
          'You cannot see this page',
        );
        expect(await reviewPage(other, `coordinator-forbidden-${email.split('.')[0]}`)).toEqual([]);
        const csv = await other.request.get(`${t.baseUrl}/coordinator/coverage/regions.csv`);
        expect(csv.status()).toBe(403);
        expect(await csv.text()).not.toContain('highNeedSchools');
      } finally {
        await other.context().close();
      }
    }
  });
});
