import { readFileSync } from 'node:fs';
import request from 'supertest';
import { ukDateTime } from '../src/web/labels';
import { bearer, coordinatorToken, PASSWORD, signIn } from './support/accounts';
import {
  type Browser,
  launchChromium,
  newPage,
  type Page,
  reviewPage,
  startWebApp,
  type WebTestApp,
} from './support/browser';
import { approvedVolunteer, at, REQUEST, schoolDays, schoolMember } from './support/matching';

jest.setTimeout(120_000);

const PLYMOUTH_GROVE = 105443; // Manchester, M13 0AQ
const EMAIL = 'priya.shah@example.org';
const HEAD = 'head@plymouthgrove.example.org';

describe('Volunteer pages', () => {
  let t: WebTestApp;
  let browser: Browser;
  let coordinator: string;
  let head: string;
  let schoolName: string;

  beforeAll(async () => {
    t = await startWebApp();
    browser = await launchChromium();
    coordinator = await coordinatorToken(t);
    head = await schoolMember(t, coordinator, HEAD, PLYMOUTH_GROVE);
    const school = await request(t.http).get(`/schools/${PLYMOUTH_GROVE}`).expect(200);
    schoolName = school.body.name;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A request of the school with one slot; answers its id and the slot's. */
  async function visitRequest(startsAt: string) {
    const created = await request(t.http)
      .post(`/schools/${PLYMOUTH_GROVE}/requests`)
      .set(bearer(head))
      .send({ ...REQUEST, slots: [{ startsAt, durationMinutes: 60 }] })
      .expect(201);
    return { requestId: created.body.id as string, slotId: created.body.slots[0].id as string };
  }

  /** Invites each volunteer to one new request; answers the invitations' ids. */
  async function invite(volunteerIds: string[], startsAt: string, message?: string) {
    const { requestId, slotId } = await visitRequest(startsAt);
    const ids: string[] = [];
    for (const volunteerId of volunteerIds) {
      const invitation = await request(t.http)
        .post(`/requests/${requestId}/invitations`)
        .set(bearer(head))
        .send({ volunteerId, slotId, message })
        .expect(201);
      ids.push(invitation.body.id);
    }
    return ids;
  }

  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).innerText();

  describe('a volunteer from sign-up to deleting their account', () => {
    let page: Page;
    let volunteerId: string;

    beforeAll(async () => {
      page = await newPage(browser);
    });
    afterAll(async () => {
      await page?.context().close();
    });

    it('signs up in at most three pages and is told they are waiting for approval', async () => {
      const pages: string[] = [];
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) pages.push(new URL(frame.url()).pathname);
      });
      const started = Date.now();

      await page.goto(`${t.baseUrl}/volunteer/sign-up`);
      expect(await reviewPage(page, 'volunteer-sign-up')).toEqual([]);
      await page.getByLabel('Email address').fill(EMAIL);
      await page.getByLabel('Create a password').fill(PASSWORD);
      await page.getByLabel('I understand how Health Futures uses my information').check();
      await page.getByRole('button', { name: 'Continue' }).click();

      expect(await heading(page)).toBe('About you');
      expect(await reviewPage(page, 'volunteer-sign-up-profile')).toEqual([]);
      await page.getByLabel('Your name').fill('Priya Shah');
      await page.getByLabel('Doctor', { exact: true }).check();
      await page.getByLabel('Postcode').fill('M13 9PL');
      await page.getByRole('button', { name: 'Create my profile' }).click();

      expect(await heading(page)).toBe('Your dashboard');
      expect(await page.getByRole('heading', { name: /Waiting for approval/ }).count()).toBe(1);
      expect(await reviewPage(page, 'volunteer-waiting-for-approval')).toEqual([]);
      expect(pages).toEqual(['/volunteer/sign-up', '/volunteer/sign-up/profile', '/volunteer']);
      expect(Date.now() - started).toBeLessThan(5 * 60_000);
      page.removeAllListeners('framenavigated');

      const pending = await request(t.http)
        .get('/volunteers')
        .query({ status: 'pending', q: EMAIL })
        .set(bearer(coordinator))
        .expect(200);
      expect(pending.body.items).toHaveLength(1);
      expect(pending.body.items[0]).toMatchObject({
        displayName: 'Priya Shah',
        profession: 'doctor',
        postcode: 'M13 9PL',
        travelRadiusKm: 15,
        activities: ['careers_talk'],
        formats: ['in_person'],
      });
      volunteerId = pending.body.items[0].id;
    });

    it('answers invitations, sees visits, gives feedback and offers to go once approved', async () => {
      await request(t.http)
        .post(`/volunteers/${volunteerId}/approve`)
        .set(bearer(coordinator))
        .send({})
        .expect(200);
      const [first, second, third] = schoolDays(3);
      // Another volunteer the same school asks: nothing of theirs may show on Priya's pages.
      const zara = await approvedVolunteer(t, coordinator, 'zara.other@example.org', {
        displayName: 'Zara Otherperson',
      });
      await invite([volunteerId, zara.id], at(first, 10), 'Year 5 would love to meet a doctor');
      // A visit that has already happened, and that the school has marked done.
      const [pastInvitation] = await invite([volunteerId], at(third, 10));
      // One to decline.
      await invite([volunteerId], at(second, 10), 'Could you do a mock clinic?');
      const priya = await signIn(t, EMAIL);
      const accepted = await request(t.http)
        .post(`/invitations/${pastInvitation}/accept`)
        .set(bearer(priya))
        .expect(200);
      await t.dataSource.query(
        `UPDATE visits SET starts_at = now() - interval '2 days', ends_at = now() - interval '2 days' + interval '1 hour' WHERE id = $1`,
        [accepted.body.visit.id],
      );
      await request(t.http)
        .post(`/visits/${accepted.body.visit.id}/complete`)
        .set(bearer(head))
        .send({ pupilsReached: 55 })
        .expect(200);
      // An open request Priya can offer for.
      await visitRequest(at(second, 14));

      await page.goto(`${t.baseUrl}/volunteer`);
      const invitations = page.getByRole('table', { name: 'Invitations waiting for your answer' });
      expect(await invitations.innerText()).toContain(schoolName);
      expect(await invitations.innerText()).toContain('Year 5 would love to meet a doctor');
      expect(await page.content()).not.toMatch(/Zara|zara\.other|Otherperson/);
      expect(await reviewPage(page, 'volunteer-dashboard-invitation')).toEqual([]);

      await invitations
        .getByRole('row', { name: /Could you do a mock clinic/ })
        .getByRole('button', { name: /^Decline the invitation/ })
        .click();
      expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain(
        'Invitation declined',
      );
      expect(await invitations.innerText()).not.toContain('Could you do a mock clinic');
      expect(await reviewPage(page, 'volunteer-dashboard-declined')).toEqual([]);

      await invitations
        .getByRole('row', { name: /Year 5 would love to meet a doctor/ })
        .getByRole('button', {
          name: `Accept the invitation from ${schoolName} for ${ukDateTime(at(first, 10))}`,
        })
        .click();
      expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain(
        'Visit confirmed',
      );
      const upcoming = page.getByRole('table', { name: 'Your confirmed visits to come' });
      expect(await upcoming.innerText()).toContain(schoolName);
      expect(await page.content()).not.toMatch(/Zara|zara\.other|Otherperson/);
      expect(await reviewPage(page, 'volunteer-dashboard-accepted')).toEqual([]);

      const calendarLink = upcoming.getByRole('link', { name: /Add to calendar/ });
      const ics = await page.request.get(`${t.baseUrl}${await calendarLink.getAttribute('href')}`);
      expect(ics.status()).toBe(200);
      expect(ics.headers()['content-type']).toMatch(/^text\/calendar/);
      expect(await ics.text()).toContain('BEGIN:VEVENT');

      // The visit to come: the school's contacts now that it is confirmed, and a way to cancel.
      await upcoming.getByRole('link', { name: schoolName, exact: true }).click();
      expect(await heading(page)).toBe(`Visit to ${schoolName}`);
      expect(await page.locator('.nhsuk-summary-list').innerText()).toContain(HEAD);
      await page.getByRole('button', { name: 'Cancel this visit' }).click();
      expect(await page.locator('.nhsuk-error-summary').innerText()).toContain(
        'Tell the school why you need to cancel',
      );
      expect(await reviewPage(page, 'volunteer-visit-cancel-error')).toEqual([]);

      // The visit gone by: feedback.
      await page.getByRole('link', { name: 'My dashboard' }).click();
      await page
        .getByRole('table', { name: /visits that have happened/ })
        .getByRole('link', { name: /Give feedback/ })
        .click();
      expect(await reviewPage(page, 'volunteer-visit-feedback')).toEqual([]);
      await page.getByRole('button', { name: 'Send feedback' }).click();
      expect(await page.locator('.nhsuk-error-summary').innerText()).toContain(
        'Select how the visit went',
      );
      expect(await reviewPage(page, 'volunteer-visit-feedback-error')).toEqual([]);
      await page.getByLabel('4 – good').check();
      await page.getByLabel(/Anything you would like to tell us/).fill('Great questions.');
      await page.getByRole('button', { name: 'Send feedback' }).click();
      expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain(
        'Thank you for your feedback',
      );
      expect(await page.getByText('You rated this visit 4 out of 5').count()).toBe(1);
      expect(await reviewPage(page, 'volunteer-visit-feedback-given')).toEqual([]);

      // Opportunities near me: the open request, and high-need schools within reach.
      await page.getByRole('link', { name: 'Opportunities near me' }).click();
      expect(await heading(page)).toBe('Opportunities near you');
      expect(await page.locator('.nhsuk-card').first().innerText()).toContain(schoolName);
      expect(
        await page
          .getByRole('table', { name: 'High-need schools within your travel distance' })
          .locator('tbody tr')
          .count(),
      ).toBeGreaterThan(0);
      expect(await page.content()).not.toMatch(/Zara|zara\.other|Otherperson|plymouthgrove/);
      expect(await reviewPage(page, 'volunteer-opportunities')).toEqual([]);
      await page.getByRole('button', { name: /^Offer to go on/ }).click();
      expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain('Offer sent');
      expect(await page.getByRole('button', { name: /^Offer to go on/ }).count()).toBe(0);
      expect(await reviewPage(page, 'volunteer-opportunities-offered')).toEqual([]);
      const offers = await request(t.http)
        .get('/volunteers/me/invitations')
        .set(bearer(priya))
        .expect(200);
      expect(offers.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'offer', status: 'pending' })]),
      );
    });

    it('completes the profile and weekly availability', async () => {
      await page.getByRole('link', { name: 'My profile' }).click();
      expect(await heading(page)).toBe('Your profile');
      expect(await reviewPage(page, 'volunteer-profile')).toEqual([]);

      await page.getByLabel('Your name').fill('');
      await page.getByLabel('Friday afternoon').uncheck();
      await page.getByRole('button', { name: 'Save changes' }).click();
      expect(await page.locator('.nhsuk-error-summary').innerText()).toContain('Enter your name');
      // The form comes back as it was posted, with the error next to the field.
      expect(await page.getByLabel('Friday afternoon').isChecked()).toBe(false);
      expect(await page.locator('#displayName-error').innerText()).toContain('Enter your name');
      expect(await reviewPage(page, 'volunteer-profile-error')).toEqual([]);

      await page.getByLabel('Your name').fill('Priya Shah');
      await page.getByLabel('How far you will travel to a school').fill('20');
      await page.getByLabel('Science workshop').check();
      await page.getByLabel(/Where you work or study/).fill('Manchester University NHS FT');
      await page.locator('#availability-unavailable-0-from').fill('2027-05-10');
      await page.locator('#availability-unavailable-0-to').fill('2027-05-21');
      await page.getByRole('button', { name: 'Save changes' }).click();
      expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain(
        'Your profile is saved',
      );
      const priya = await signIn(t, EMAIL);
      const me = await request(t.http).get('/volunteers/me').set(bearer(priya)).expect(200);
      expect(me.body).toMatchObject({
        travelRadiusKm: 20,
        activities: ['careers_talk', 'science_workshop'],
        organisation: 'Manchester University NHS FT',
        status: 'approved',
      });
      expect(me.body.availability.weekly).toHaveLength(9);
      expect(me.body.availability.weekly).not.toContainEqual({ day: 'fri', part: 'pm' });
      expect(me.body.availability.unavailable).toEqual([{ from: '2027-05-10', to: '2027-05-21' }]);
      // The dates are shown again, with a free row for more.
      expect(await page.locator('#availability-unavailable-0-from').inputValue()).toBe(
        '2027-05-10',
      );
      expect(await page.locator('#availability-unavailable-1-from').inputValue()).toBe('');
    });

    it('takes a break and comes back', async () => {
      await page.getByRole('link', { name: 'My dashboard' }).click();
      await page.getByRole('button', { name: 'Take a break' }).click();
      expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain(
        'You are taking a break',
      );
      expect(await reviewPage(page, 'volunteer-dashboard-paused')).toEqual([]);
      const priya = await signIn(t, EMAIL);
      const paused = await request(t.http).get('/volunteers/me').set(bearer(priya)).expect(200);
      expect(paused.body.status).toBe('paused');

      await page.getByRole('button', { name: 'Come back from my break' }).click();
      expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain(
        'Welcome back',
      );
      const back = await request(t.http).get('/volunteers/me').set(bearer(priya)).expect(200);
      expect(back.body.status).toBe('approved');
    });

    it('downloads their data', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /Download all your data/ }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('health-futures-my-data.json');
      const data = JSON.parse(readFileSync(await download.path(), 'utf8'));
      expect(data.account.email).toBe(EMAIL);
      expect(data.profile.displayName).toBe('Priya Shah');
      expect(data.visits).toHaveLength(2);
    });

    it('deletes the account after confirming', async () => {
      await page.getByRole('link', { name: 'Delete your account' }).click();
      expect(await heading(page)).toBe('Delete your account');
      expect(await reviewPage(page, 'volunteer-delete')).toEqual([]);
      await page.getByRole('button', { name: 'Delete my account' }).click();
      expect(await heading(page)).toBe('Your account is deleted');
      expect(await reviewPage(page, 'volunteer-deleted')).toEqual([]);
      expect((await page.context().cookies()).map((c) => c.name)).not.toContain('hf_access');

      await request(t.http)
        .post('/auth/login')
        .send({ email: EMAIL, password: PASSWORD })
        .expect(401);
      const visits = await t.dataSource.query<{ status: string }[]>(
        `SELECT status FROM visits WHERE volunteer_id = $1 AND starts_at > now()`,
        [volunteerId],
      );
      expect(visits.map((v) => v.status)).toEqual(['cancelled']);
      await page.goto(`${t.baseUrl}/volunteer`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
    });
  });

  describe('forms that are not filled in right', () => {
    it('shows each problem in the error summary and next to its field', async () => {
      const page = await newPage(browser);
      try {
        await page.goto(`${t.baseUrl}/volunteer/sign-up`);
        await page.getByLabel('Email address').fill('not an email');
        await page.getByLabel('Create a password').fill('short');
        await page.getByRole('button', { name: 'Continue' }).click();
        expect(await page.title()).toMatch(/^Error: /);
        const summary = await page.locator('.nhsuk-error-summary').innerText();
        expect(summary).toContain('Enter your email address in the right format');
        expect(summary).toContain('Enter a password of at least 10 characters');
        expect(summary).toContain('Confirm that you have read how we use your information');
        for (const href of await page
          .locator('.nhsuk-error-summary a')
          .evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
          expect(await page.locator(href!).count()).toBe(1);
        }
        expect(await page.getByLabel('Email address').inputValue()).toBe('not an email');
        expect(await reviewPage(page, 'volunteer-sign-up-errors')).toEqual([]);

        await page.getByLabel('Email address').fill('sam.jones@example.org');
        await page.getByLabel('Create a password').fill(PASSWORD);
        await page.getByLabel('I understand how Health Futures uses my information').check();
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.getByLabel('Postcode').fill('ZZ');
        await page.getByLabel('Science workshop').check();
        await page.getByRole('button', { name: 'Create my profile' }).click();
        const errors = await page.locator('.nhsuk-error-summary').innerText();
        expect(errors).toContain('Enter your name');
        expect(errors).toContain('Select your profession');
        expect(errors).toContain('Enter a postcode, like M13 9PL');
        expect(await page.getByLabel('Science workshop').isChecked()).toBe(true);
        expect(await reviewPage(page, 'volunteer-sign-up-profile-errors')).toEqual([]);

        // A district that does not exist is caught after the form's own checks.
        await page.getByLabel('Your name').fill('Sam Jones');
        await page.getByLabel('Nurse', { exact: true }).check();
        await page.getByLabel('Postcode').fill('ZZ9 9ZZ');
        await page.getByRole('button', { name: 'Create my profile' }).click();
        expect(await page.locator('#postcode-error').innerText()).toContain('ZZ9');

        // A volunteer with no profile yet who opens the dashboard is sent to finish sign-up.
        await page.goto(`${t.baseUrl}/volunteer`);
        expect(new URL(page.url()).pathname).toBe('/volunteer/sign-up/profile');
      } finally {
        await page.context().close();
      }
    });

    it('says when an email address already has an account', async () => {
      const page = await newPage(browser);
      try {
        await page.goto(`${t.baseUrl}/volunteer/sign-up`);
        await page.getByLabel('Email address').fill(HEAD);
        await page.getByLabel('Create a password').fill(PASSWORD);
        await page.getByLabel('I understand how Health Futures uses my information').check();
        await page.getByRole('button', { name: 'Continue' }).click();
        expect(await page.locator('#email-error').innerText()).toContain('already exists');
      } finally {
        await page.context().close();
      }
    });
  });

  describe('who may see the volunteer pages', () => {
    it('sends signed-out visitors to sign in', async () => {
      for (const path of ['/volunteer', '/volunteer/opportunities', '/volunteer/my-data']) {
        const response = await request(t.http).get(path).expect(303);
        expect(response.headers.location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
      }
      const page = await newPage(browser);
      try {
        await page.goto(`${t.baseUrl}/volunteer/profile`);
        expect(page.url()).toBe(`${t.baseUrl}/sign-in?next=%2Fvolunteer%2Fprofile`);
      } finally {
        await page.context().close();
      }
    });

    it.each([
      ['school staff', HEAD, 'volunteer-forbidden-school-staff'],
      ['a coordinator', 'coordinator@msc.example.org', 'volunteer-forbidden-coordinator'],
    ])('shows %s a page saying it is not for them', async (_who, email, screenshot) => {
      const page = await newPage(browser);
      try {
        await page.goto(`${t.baseUrl}/sign-in?next=%2Fvolunteer`);
        await page.getByLabel('Email address').fill(email);
        await page.getByLabel('Password').fill(PASSWORD);
        const [response] = await Promise.all([
          page.waitForResponse((r) => new URL(r.url()).pathname === '/volunteer'),
          page.getByRole('button', { name: 'Sign in' }).click(),
        ]);
        expect(response.status()).toBe(403);
        expect(await heading(page)).toBe('You cannot see this page');
        expect(await reviewPage(page, screenshot)).toEqual([]);
        const opportunities = await page.goto(`${t.baseUrl}/volunteer/opportunities`);
        expect(opportunities?.status()).toBe(403);
      } finally {
        await page.context().close();
      }
    });
  });
});
