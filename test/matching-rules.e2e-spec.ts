import request from 'supertest';
import { isoWeekdayOf, londonDate } from '../src/calendar/london-time';
import { TermCalendar } from '../src/calendar/term-calendar';
import { InvitationsService } from '../src/invitations/invitations.service';
import { virtualRankingQuery } from '../src/matching/matching.service';
import { offerBit } from '../src/matching/offer-bit';
import { RequestsService } from '../src/requests/requests.service';
import { Activity, VisitFormat } from '../src/volunteers/volunteer.enums';
import { bearer, coordinatorToken, signUp } from './support/accounts';
import { createTestApp, TestApp } from './support/app';
import { approvedVolunteer, at, REQUEST, schoolDays, schoolMember } from './support/matching';

const PLYMOUTH_GROVE = 105443; // Manchester, M13 0AQ
const ALDGATE = 100000; // London, EC3A 5DE
const UNKNOWN_URN = 99;

const calendar = TermCalendar.load();
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const DAY_MS = 86_400_000;

interface Volunteer {
  token: string;
  id: string;
}

interface Candidate {
  volunteerId: string;
  distanceKm: number;
  score: number;
  breakdown: { distance: number; fit: number; reliability: number; newVolunteer: number };
  freeSlotIds: string[];
}

interface Candidates {
  items: Candidate[];
  reasons: { code: string; message: string; volunteers: number }[];
}

interface VisitRequestBody {
  id: string;
  status: string;
  slots: { id: string; startsAt: string }[];
}

let counter = 0;
/** A fresh e-mail address, so that every test has volunteers and staff of its own. */
const unique = (name: string) => `${name}.${++counter}@example.org`;

/** `count` school days (London dates), all in one term, at least a week from now. */
function sameTermDays(count: number): string[] {
  const byTerm = new Map<string, string[]>();
  for (const day of schoolDays(80)) {
    const term = calendar.termOf(day)!.id;
    const days = [...(byTerm.get(term) ?? []), day];
    if (days.length === count) return days;
    byTerm.set(term, days);
  }
  throw new Error(`no term with ${count} school days ahead`);
}

/** The first date from `fromDays` days ahead that passes the test. */
function firstDate(test: (date: string) => boolean, fromDays = 1): string {
  for (let offset = fromDays; offset < 800; offset++) {
    const date = londonDate(new Date(Date.now() + offset * DAY_MS));
    if (test(date)) return date;
  }
  throw new Error('no such date in the calendar');
}

const days = sameTermDays(12);
const saturday = firstDate((date) => isoWeekdayOf(date) === 6, 7);
/** A weekday of a term the calendar knows that is not a school day: a holiday or half-term. */
const holiday = firstDate(
  (date) => isoWeekdayOf(date) <= 5 && calendar.covers(date) && !calendar.isSchoolDay(date),
);
/** A school day in a later term than `days`. */
const nextTermDay = schoolDays(200).find(
  (day) => calendar.termOf(day)!.id !== calendar.termOf(days[0])!.id && day > days[0],
)!;

function volunteer(
  t: TestApp,
  coordinator: string,
  name: string,
  profile: Record<string, unknown> = {},
): Promise<Volunteer> {
  return approvedVolunteer(t, coordinator, unique(name), profile);
}

/** A volunteer with a profile that no coordinator has approved yet. */
async function pendingVolunteer(
  t: TestApp,
  name: string,
  profile: Record<string, unknown> = {},
): Promise<Volunteer> {
  const token = await signUp(t, unique(name), 'volunteer');
  const created = await request(t.http)
    .post('/volunteers')
    .set(bearer(token))
    .send({ displayName: `${name} Pending`, profession: 'nurse', postcode: 'M13 9PL', ...profile })
    .expect(201);
  return { token, id: created.body.id };
}

async function createRequest(
  t: TestApp,
  head: string,
  urn: number,
  starts: string[],
  fields: Record<string, unknown> = {},
): Promise<VisitRequestBody> {
  const response = await request(t.http)
    .post(`/schools/${urn}/requests`)
    .set(bearer(head))
    .send({
      ...REQUEST,
      slots: starts.map((startsAt) => ({ startsAt, durationMinutes: 60 })),
      ...fields,
    })
    .expect(201);
  return response.body;
}

async function invite(
  t: TestApp,
  head: string,
  visitRequest: VisitRequestBody,
  volunteerId: string,
  slot = 0,
): Promise<string> {
  const response = await request(t.http)
    .post(`/requests/${visitRequest.id}/invitations`)
    .set(bearer(head))
    .send({ volunteerId, slotId: visitRequest.slots[slot].id })
    .expect(201);
  return response.body.id;
}

const accept = (t: TestApp, token: string, invitationId: string) =>
  request(t.http).post(`/invitations/${invitationId}/accept`).set(bearer(token));

/** A confirmed visit made over the API: a request at the school, an invitation, accepted. */
async function confirmedVisit(
  t: TestApp,
  head: string,
  urn: number,
  startsAt: string,
  who: Volunteer,
): Promise<{ visitRequest: VisitRequestBody; visitId: string }> {
  const visitRequest = await createRequest(t, head, urn, [startsAt]);
  const invitationId = await invite(t, head, visitRequest, who.id);
  const accepted = await accept(t, who.token, invitationId).expect(200);
  expect(accepted.body.visit.status).toBe('confirmed');
  return { visitRequest, visitId: accepted.body.visit.id };
}

async function candidates(
  t: TestApp,
  token: string,
  requestId: string,
  limit = 100,
): Promise<Candidates> {
  const response = await request(t.http)
    .get(`/requests/${requestId}/candidates?limit=${limit}`)
    .set(bearer(token))
    .expect(200);
  return response.body;
}

const ids = (body: Candidates) => body.items.map((c) => c.volunteerId);

async function schoolsNear(t: TestApp, postcode: string): Promise<number[]> {
  const response = await request(t.http)
    .get(`/schools?postcode=${postcode}&radiusKm=3`)
    .expect(200);
  return response.body.items.map((s: { urn: number }) => s.urn);
}

async function confirmedVisitsOf(t: TestApp, volunteerId: string): Promise<number> {
  const [{ count }] = await t.dataSource.query(
    `SELECT count(*)::int AS count FROM visits WHERE volunteer_id = $1 AND status = 'confirmed'`,
    [volunteerId],
  );
  return count;
}

describe('matching rules', () => {
  let t: TestApp;
  let coordinator: string;
  let head: string;
  let otherSchool: number;
  let otherHead: string;
  let aldgateHead: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' } });
    coordinator = await coordinatorToken(t);
    otherSchool = (await schoolsNear(t, 'M13')).find((urn) => urn !== PLYMOUTH_GROVE)!;
    [head, otherHead, aldgateHead] = await Promise.all([
      schoolMember(t, coordinator, unique('head'), PLYMOUTH_GROVE),
      schoolMember(t, coordinator, unique('other-head'), otherSchool),
      schoolMember(t, coordinator, unique('aldgate-head'), ALDGATE),
    ]);
  });
  afterAll(() => t.close());

  describe('school memberships', () => {
    it('lets a member of staff ask for visits only once a coordinator approves them', async () => {
      const staff = await signUp(t, unique('deputy'), 'school_staff');
      const asked = await request(t.http)
        .post(`/schools/${PLYMOUTH_GROVE}/memberships`)
        .set(bearer(staff))
        .send({ jobTitle: 'Deputy head' })
        .expect(201);
      expect(asked.body).toMatchObject({
        schoolUrn: PLYMOUTH_GROVE,
        jobTitle: 'Deputy head',
        status: 'pending',
      });
      const body = { ...REQUEST, slots: [{ startsAt: at(days[0], 10), durationMinutes: 60 }] };

      await request(t.http)
        .post(`/schools/${PLYMOUTH_GROVE}/requests`)
        .set(bearer(staff))
        .send(body)
        .expect(404);
      const twice = await request(t.http)
        .post(`/schools/${PLYMOUTH_GROVE}/memberships`)
        .set(bearer(staff))
        .send({ jobTitle: 'Deputy head' })
        .expect(409);
      expect(twice.body.code).toBe('membership_exists');

      const approved = await request(t.http)
        .post(`/memberships/${asked.body.id}/approve`)
        .set(bearer(coordinator))
        .send({})
        .expect(200);
      expect(approved.body.status).toBe('approved');
      const created = await request(t.http)
        .post(`/schools/${PLYMOUTH_GROVE}/requests`)
        .set(bearer(staff))
        .send(body)
        .expect(201);
      expect(created.body).toMatchObject({ schoolUrn: PLYMOUTH_GROVE, status: 'open' });
    });

    it('needs a reason to reject a membership, and a rejected member cannot ask for visits', async () => {
      const staff = await signUp(t, unique('impostor'), 'school_staff');
      const asked = await request(t.http)
        .post(`/schools/${otherSchool}/memberships`)
        .set(bearer(staff))
        .send({ jobTitle: 'Governor' })
        .expect(201);
      const missing = await request(t.http)
        .post(`/memberships/${asked.body.id}/reject`)
        .set(bearer(coordinator))
        .send({})
        .expect(400);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('reason');

      const rejected = await request(t.http)
        .post(`/memberships/${asked.body.id}/reject`)
        .set(bearer(coordinator))
        .send({ reason: 'The school does not know this person' })
        .expect(200);
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        statusReason: 'The school does not know this person',
      });
      await request(t.http)
        .post(`/schools/${otherSchool}/requests`)
        .set(bearer(staff))
        .send({ ...REQUEST, slots: [{ startsAt: at(days[0], 10), durationMinutes: 60 }] })
        .expect(404);
    });

    it('answers 404 for an unknown URN', async () => {
      const staff = await signUp(t, unique('lost'), 'school_staff');
      const response = await request(t.http)
        .post(`/schools/${UNKNOWN_URN}/memberships`)
        .set(bearer(staff))
        .send({ jobTitle: 'Head teacher' })
        .expect(404);
      expect(response.body.code).toBe('school_not_found');
      await request(t.http)
        .post(`/schools/${UNKNOWN_URN}/requests`)
        .set(bearer(head))
        .send({ ...REQUEST, slots: [{ startsAt: at(days[0], 10), durationMinutes: 60 }] })
        .expect(404);
      await request(t.http).get(`/schools/${UNKNOWN_URN}/requests`).set(bearer(head)).expect(404);
      // A URN too large for the register is bad input, not a database error.
      const huge = await request(t.http)
        .post('/schools/99999999999/memberships')
        .set(bearer(staff))
        .send({ jobTitle: 'Head teacher' })
        .expect(400);
      expect(huge.body.errors[0]).toMatchObject({ field: 'urn', rule: 'isUrn' });
      await request(t.http).get('/schools/99999999999/requests').set(bearer(head)).expect(400);
    });

    it("hides a school's requests from members of other schools", async () => {
      const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[0], 11)]);
      await request(t.http).get(`/requests/${visitRequest.id}`).set(bearer(head)).expect(200);

      await request(t.http).get(`/requests/${visitRequest.id}`).set(bearer(otherHead)).expect(404);
      await request(t.http)
        .get(`/schools/${PLYMOUTH_GROVE}/requests`)
        .set(bearer(otherHead))
        .expect(404);
      await request(t.http)
        .get(`/requests/${visitRequest.id}/candidates`)
        .set(bearer(otherHead))
        .expect(404);
      await request(t.http)
        .post(`/requests/${visitRequest.id}/cancel`)
        .set(bearer(otherHead))
        .send({ reason: 'Not ours to cancel' })
        .expect(404);
      const still = await request(t.http)
        .get(`/requests/${visitRequest.id}`)
        .set(bearer(head))
        .expect(200);
      expect(still.body.status).toBe('open');
    });

    it('forbids volunteers to ask for visits', async () => {
      const v = await volunteer(t, coordinator, 'not-staff');
      await request(t.http)
        .post(`/schools/${PLYMOUTH_GROVE}/requests`)
        .set(bearer(v.token))
        .send({ ...REQUEST, slots: [{ startsAt: at(days[0], 10), durationMinutes: 60 }] })
        .expect(403);
    });
  });

  describe('request validation', () => {
    const slot = (startsAt: string, durationMinutes = 60) => ({ startsAt, durationMinutes });
    const valid = () => ({ ...REQUEST, slots: [slot(at(days[0], 10))] });

    it.each<[string, () => Record<string, unknown>, string, string]>([
      ['no slot', () => ({ ...valid(), slots: [] }), 'slots', 'arrayMinSize'],
      [
        'six slots',
        () => ({ ...valid(), slots: days.slice(0, 6).map((day) => slot(at(day, 10))) }),
        'slots',
        'arrayMaxSize',
      ],
      [
        'a slot in the past',
        () => ({ ...valid(), slots: [slot(new Date(Date.now() - DAY_MS).toISOString())] }),
        'slots.0.startsAt',
        'slot_in_past',
      ],
      [
        'a slot at a weekend',
        () => ({ ...valid(), slots: [slot(at(saturday, 10))] }),
        'slots.0.startsAt',
        'slot_not_school_day',
      ],
      [
        'a slot in a school holiday',
        () => ({ ...valid(), slots: [slot(at(holiday, 10))] }),
        'slots.0.startsAt',
        'slot_not_school_day',
      ],
      [
        'a slot before 08:00',
        () => ({ ...valid(), slots: [slot(at(days[0], 7, 30))] }),
        'slots.0.startsAt',
        'slot_outside_school_hours',
      ],
      [
        'a slot ending after 17:00',
        () => ({ ...valid(), slots: [slot(at(days[0], 16, 30))] }),
        'slots.0.startsAt',
        'slot_outside_school_hours',
      ],
      [
        'no volunteer wanted',
        () => ({ ...valid(), volunteersWanted: 0 }),
        'volunteersWanted',
        'min',
      ],
      [
        'eleven volunteers wanted',
        () => ({ ...valid(), volunteersWanted: 11 }),
        'volunteersWanted',
        'max',
      ],
      ['an unknown activity', () => ({ ...valid(), activity: 'juggling' }), 'activity', 'isEnum'],
      ['an unknown field', () => ({ ...valid(), colour: 'red' }), 'colour', 'unknownField'],
    ])('refuses %s with a 400 naming the field', async (_case, body, field, rule) => {
      const response = await request(t.http)
        .post(`/schools/${PLYMOUTH_GROVE}/requests`)
        .set(bearer(head))
        .send(body())
        .expect(400);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, rule })]),
      );
    });

    it('takes its holiday and school days from the term calendar', () => {
      expect(calendar.covers(holiday)).toBe(true);
      expect(calendar.isSchoolDay(holiday)).toBe(false);
      expect(calendar.isSchoolDay(days[0])).toBe(true);
    });
  });

  describe('candidates', () => {
    let control: Volunteer;

    beforeAll(async () => {
      control = await volunteer(t, coordinator, 'control');
    });

    /** A request at Plymouth Grove, and its candidates, which always include the control. */
    async function candidatesAt(startsAt: string): Promise<[VisitRequestBody, string[]]> {
      const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [startsAt]);
      const found = ids(await candidates(t, head, visitRequest.id));
      expect(found).toContain(control.id);
      return [visitRequest, found];
    }

    it('never include a paused volunteer', async () => {
      const v = await volunteer(t, coordinator, 'paused');
      await request(t.http).post('/volunteers/me/pause').set(bearer(v.token)).expect(200);
      const [, found] = await candidatesAt(at(days[1], 10));
      expect(found).not.toContain(v.id);
    });

    it('never include a volunteer not yet approved', async () => {
      const v = await pendingVolunteer(t, 'pending');
      const [, found] = await candidatesAt(at(days[1], 10));
      expect(found).not.toContain(v.id);
    });

    it('never include a volunteer out of range, however near they are otherwise', async () => {
      const exeter = await volunteer(t, coordinator, 'exeter', { postcode: 'EX1' });
      // Didsbury is about 4.4 km from Plymouth Grove.
      const didsbury = await volunteer(t, coordinator, 'didsbury', {
        postcode: 'M20',
        travelRadiusKm: 2,
      });
      const [visitRequest, found] = await candidatesAt(at(days[1], 10));
      expect(found).not.toContain(exeter.id);
      expect(found).not.toContain(didsbury.id);

      await request(t.http)
        .patch('/volunteers/me')
        .set(bearer(didsbury.token))
        .send({ travelRadiusKm: 10 })
        .expect(200);
      expect(ids(await candidates(t, head, visitRequest.id))).toContain(didsbury.id);
    });

    it('never include a volunteer already visiting another school at that time', async () => {
      const v = await volunteer(t, coordinator, 'busy');
      await confirmedVisit(t, otherHead, otherSchool, at(days[2], 10), v);
      const [, found] = await candidatesAt(at(days[2], 10));
      expect(found).not.toContain(v.id);
    });

    it('never include a volunteer at their limit of visits for the term', async () => {
      const v = await volunteer(t, coordinator, 'at-limit', { maxVisitsPerTerm: 1 });
      await confirmedVisit(t, otherHead, otherSchool, at(days[2], 14), v);
      const [, found] = await candidatesAt(at(days[3], 10));
      expect(found).not.toContain(v.id);
    });

    it('never include a volunteer who does not offer the activity', async () => {
      const v = await volunteer(t, coordinator, 'reader', { activities: ['reading'] });
      const [, found] = await candidatesAt(at(days[1], 10));
      expect(found).not.toContain(v.id);
    });

    it('never include a volunteer who does not offer the format', async () => {
      const v = await volunteer(t, coordinator, 'online-only', { formats: ['virtual'] });
      const [, found] = await candidatesAt(at(days[1], 10));
      expect(found).not.toContain(v.id);
    });

    it('never include a volunteer whose week excludes that half-day', async () => {
      const day = WEEKDAYS[isoWeekdayOf(days[1]) - 1];
      const weekly = WEEKDAYS.flatMap((d) => [
        { day: d, part: 'am' },
        { day: d, part: 'pm' },
      ]).filter((slot) => !(slot.day === day && slot.part === 'am'));
      const v = await volunteer(t, coordinator, 'afternoons', { availability: { weekly } });
      const [, found] = await candidatesAt(at(days[1], 10));
      expect(found).not.toContain(v.id);
      const [, afternoon] = await candidatesAt(at(days[1], 13));
      expect(afternoon).toContain(v.id);
    });

    it('never include a volunteer away on that date', async () => {
      const v = await volunteer(t, coordinator, 'away', {
        availability: { unavailable: [{ from: days[1], to: days[1] }] },
      });
      const [, found] = await candidatesAt(at(days[1], 10));
      expect(found).not.toContain(v.id);
    });

    it('never include a volunteer who declined this request before', async () => {
      const v = await volunteer(t, coordinator, 'decliner');
      const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[1], 10)]);
      expect(ids(await candidates(t, head, visitRequest.id))).toContain(v.id);
      const invitationId = await invite(t, head, visitRequest, v.id);
      const declined = await request(t.http)
        .post(`/invitations/${invitationId}/decline`)
        .set(bearer(v.token))
        .send({ reason: 'Clinic that morning' })
        .expect(200);
      expect(declined.body.status).toBe('declined');
      const found = ids(await candidates(t, head, visitRequest.id));
      expect(found).not.toContain(v.id);
      expect(found).toContain(control.id);
    });

    it('rank a nearer volunteer first, favour new volunteers, and never show an e-mail', async () => {
      const near = await volunteer(t, coordinator, 'near', { postcode: 'M13' });
      const far = await volunteer(t, coordinator, 'far', { postcode: 'M20' });
      const invited = await volunteer(t, coordinator, 'invited', { postcode: 'M13' });
      const elsewhere = await createRequest(t, otherHead, otherSchool, [at(days[4], 14)]);
      await invite(t, otherHead, elsewhere, invited.id);

      const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[4], 10)]);
      const body = await candidates(t, head, visitRequest.id);
      const byId = (id: string) => body.items.find((c) => c.volunteerId === id)!;
      const [n, f, i] = [byId(near.id), byId(far.id), byId(invited.id)];

      expect(n.distanceKm).toBeLessThan(f.distanceKm);
      expect(n.breakdown.distance).toBeGreaterThan(f.breakdown.distance);
      expect({ ...n.breakdown, distance: 0 }).toEqual({ ...f.breakdown, distance: 0 });
      expect(n.score).toBeGreaterThan(f.score);
      expect(ids(body).indexOf(near.id)).toBeLessThan(ids(body).indexOf(far.id));

      expect(n.breakdown.newVolunteer).toBe(1);
      expect(i.breakdown.newVolunteer).toBe(0);
      expect(i.score).toBeLessThan(n.score);

      const scores = body.items.map((c) => c.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(JSON.stringify(body)).not.toContain('@');
    });

    it('ignore distance for a virtual request', async () => {
      const exeter = await volunteer(t, coordinator, 'exeter-online', {
        postcode: 'EX1',
        formats: ['virtual'],
      });
      const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[1], 10)], {
        format: 'virtual',
      });
      const body = await candidates(t, head, visitRequest.id);
      const found = body.items.find((c) => c.volunteerId === exeter.id);
      expect(found).toBeDefined();
      expect(found!.distanceKm).toBeGreaterThan(250);
      expect(found!.breakdown.distance).toBe(1);
      // In-person-only volunteers are not offered for a virtual visit.
      expect(ids(body)).not.toContain(control.id);
    });

    it('rank a virtual request as ranking every volunteer would, nearest first among equals', async () => {
      const near = await volunteer(t, coordinator, 'online-near', {
        postcode: 'M14',
        formats: ['virtual'],
      });
      const narrow = await volunteer(t, coordinator, 'online-year-5', {
        postcode: 'M13',
        formats: ['virtual'],
        yearGroups: [5],
      });
      const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[2], 10)], {
        format: 'virtual',
        yearGroups: [5, 6],
      });
      const everyone = async (limit: number) =>
        (
          await t.dataSource.query<{ id: string }[]>(
            virtualRankingQuery(offerBit(Activity.CareersTalk, VisitFormat.Virtual)),
            [visitRequest.id, limit, null],
          )
        ).map((row) => row.id);
      for (const limit of [1, 2, 50]) {
        const body = await candidates(t, head, visitRequest.id, limit);
        expect(ids(body)).toEqual(await everyone(limit));
      }
      const all = await candidates(t, head, visitRequest.id, 50);
      // The nearest volunteer with the top score comes first; the one who teaches only one of
      // the two year groups scores less, however near.
      expect(ids(all).indexOf(near.id)).toBeLessThan(ids(all).indexOf(narrow.id));
      expect(all.items.find((c) => c.volunteerId === narrow.id)!.breakdown.fit).toBe(0.5);
    });
  });

  describe('why nobody matches', () => {
    async function member(urn: number): Promise<string> {
      return schoolMember(t, coordinator, unique(`staff-${urn}`), urn);
    }

    async function expectOnlyReason(token: string, requestId: string, code: string, n?: number) {
      const body = await candidates(t, token, requestId);
      expect(body.items).toEqual([]);
      expect(body.reasons).toEqual([
        expect.objectContaining({ code, ...(n === undefined ? {} : { volunteers: n }) }),
      ]);
      expect(body.reasons[0].message).toEqual(expect.any(String));
    }

    it('says when nobody offers the activity in that format', async () => {
      const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[5], 10)], {
        activity: 'mock_clinic',
        format: 'virtual',
      });
      await expectOnlyReason(head, visitRequest.id, 'nobody_offers', 0);
    });

    it('says when volunteers offer it but none is within reach', async () => {
      await volunteer(t, coordinator, 'exeter-far', { postcode: 'EX1' });
      const visitRequest = await createRequest(t, aldgateHead, ALDGATE, [at(days[5], 10)]);
      await expectOnlyReason(aldgateHead, visitRequest.id, 'none_in_reach', 0);
    });

    it('says when those within reach are paused or not approved', async () => {
      const [leeds] = await schoolsNear(t, 'LS6');
      const leedsHead = await member(leeds);
      const paused = await volunteer(t, coordinator, 'leeds-paused', { postcode: 'LS6' });
      await request(t.http).post('/volunteers/me/pause').set(bearer(paused.token)).expect(200);
      await pendingVolunteer(t, 'leeds-pending', { postcode: 'LS6' });
      const visitRequest = await createRequest(t, leedsHead, leeds, [at(days[5], 10)]);
      await expectOnlyReason(leedsHead, visitRequest.id, 'not_approved_or_paused', 2);
    });

    it('says when those within reach are busy then', async () => {
      const [first, second] = await schoolsNear(t, 'BS5');
      const [firstHead, secondHead] = await Promise.all([member(first), member(second)]);
      const v = await volunteer(t, coordinator, 'bristol', { postcode: 'BS5' });
      await confirmedVisit(t, firstHead, first, at(days[5], 10), v);
      const visitRequest = await createRequest(t, secondHead, second, [at(days[5], 10)]);
      await expectOnlyReason(secondHead, visitRequest.id, 'busy', 1);
    });

    it('says when those within reach are at their term limit', async () => {
      const [first, second] = await schoolsNear(t, 'NR2');
      const [firstHead, secondHead] = await Promise.all([member(first), member(second)]);
      const v = await volunteer(t, coordinator, 'norwich', {
        postcode: 'NR2',
        maxVisitsPerTerm: 1,
      });
      await confirmedVisit(t, firstHead, first, at(days[5], 10), v);
      const visitRequest = await createRequest(t, secondHead, second, [at(days[6], 10)]);
      await expectOnlyReason(secondHead, visitRequest.id, 'at_term_limit', 1);
    });

    it('says when those within reach are unavailable then', async () => {
      const [leicester] = await schoolsNear(t, 'LE2');
      const leicesterHead = await member(leicester);
      await volunteer(t, coordinator, 'leicester-away', {
        postcode: 'LE2',
        availability: { unavailable: [{ from: days[5], to: days[5] }] },
      });
      const day = WEEKDAYS[isoWeekdayOf(days[5]) - 1];
      await volunteer(t, coordinator, 'leicester-afternoons', {
        postcode: 'LE2',
        availability: { weekly: [{ day, part: 'pm' }] },
      });
      const visitRequest = await createRequest(t, leicesterHead, leicester, [at(days[5], 10)]);
      await expectOnlyReason(leicesterHead, visitRequest.id, 'unavailable', 2);
    });
  });

  describe("a volunteer's opportunities", () => {
    it('lists open requests they could take within their radius, not those out of reach', async () => {
      const v = await volunteer(t, coordinator, 'opportunist', {
        postcode: 'M13',
        travelRadiusKm: 2,
        activities: ['whats_my_line'],
      });
      const near = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[6], 10)], {
        activity: 'whats_my_line',
      });
      const far = await createRequest(t, aldgateHead, ALDGATE, [at(days[6], 10)], {
        activity: 'whats_my_line',
      });
      const response = await request(t.http)
        .get('/volunteers/me/opportunities')
        .set(bearer(v.token))
        .expect(200);
      const listed = response.body.requests.map((r: { requestId: string }) => r.requestId);
      expect(listed).toContain(near.id);
      expect(listed).not.toContain(far.id);
      expect(
        response.body.requests.find((r: { requestId: string }) => r.requestId === near.id),
      ).toMatchObject({
        schoolUrn: PLYMOUTH_GROVE,
        activity: 'whats_my_line',
        freeSlotIds: [near.slots[0].id],
        freeSlots: [
          {
            id: near.slots[0].id,
            startsAt: near.slots[0].startsAt,
            durationMinutes: 60,
          },
        ],
        highNeed: true,
      });
    });

    it('lists high-need schools within reach by need, leaving out those visited this year', async () => {
      const v = await volunteer(t, coordinator, 'explorer', { postcode: 'M13', travelRadiusKm: 2 });
      const read = async () => {
        const response = await request(t.http)
          .get('/volunteers/me/opportunities')
          .set(bearer(v.token))
          .expect(200);
        return response.body.highNeedSchools as {
          urn: number;
          distanceKm: number;
          needScore: number;
        }[];
      };
      const schools = await read();
      expect(schools.length).toBeGreaterThan(1);
      expect(schools.map((s) => s.urn)).toContain(PLYMOUTH_GROVE);
      for (const school of schools) expect(school.distanceKm).toBeLessThanOrEqual(2);
      const needs = schools.map((s) => s.needScore);
      expect(needs).toEqual([...needs].sort((a, b) => b - a));
      const notHighNeed = await t.dataSource.query(
        `SELECT urn FROM schools WHERE urn = ANY($1) AND NOT (high_need AND status = 'open')`,
        [schools.map((s) => s.urn)],
      );
      expect(notHighNeed).toEqual([]);

      const [visited, visitedLongAgo] = schools;
      await t.dataSource.query(
        `INSERT INTO visits (volunteer_id, school_urn, starts_at, ends_at, status, pupils_reached)
         VALUES ($1, $2, now() - interval '30 days', now() - interval '30 days' + interval '1 hour', 'completed', 30),
                ($1, $3, now() - interval '400 days', now() - interval '400 days' + interval '1 hour', 'completed', 30)`,
        [v.id, visited.urn, visitedLongAgo.urn],
      );
      const after = (await read()).map((s) => s.urn);
      expect(after).not.toContain(visited.urn);
      expect(after).toContain(visitedLongAgo.urn);
    });
  });

  describe('offers', () => {
    it('lets an approved volunteer offer, and the school confirm', async () => {
      const v = await volunteer(t, coordinator, 'offerer');
      const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[7], 10)]);
      const offer = await request(t.http)
        .post(`/requests/${visitRequest.id}/offers`)
        .set(bearer(v.token))
        .send({ slotId: visitRequest.slots[0].id })
        .expect(201);
      expect(offer.body).toMatchObject({ kind: 'offer', status: 'pending' });

      const own = await accept(t, v.token, offer.body.id);
      expect([403, 404]).toContain(own.status);
      await accept(t, otherHead, offer.body.id).expect(404);

      const accepted = await accept(t, head, offer.body.id).expect(200);
      expect(accepted.body.visit).toMatchObject({
        status: 'confirmed',
        startsAt: at(days[7], 10),
      });
      expect(accepted.body.invitation).toMatchObject({ kind: 'offer', status: 'accepted' });
      const filled = await request(t.http)
        .get(`/requests/${visitRequest.id}`)
        .set(bearer(head))
        .expect(200);
      expect(filled.body).toMatchObject({ status: 'filled', volunteersConfirmed: 1 });
    });

    it('refuses an offer from a volunteer not yet approved', async () => {
      const v = await pendingVolunteer(t, 'eager');
      const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[7], 10)]);
      const response = await request(t.http)
        .post(`/requests/${visitRequest.id}/offers`)
        .set(bearer(v.token))
        .send({ slotId: visitRequest.slots[0].id })
        .expect(422);
      expect(response.body.code).toBe('not_a_candidate');
    });

    it('lets a member of the school decline an offer', async () => {
      const v = await volunteer(t, coordinator, 'declined-offerer');
      const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[7], 13)]);
      const offer = await request(t.http)
        .post(`/requests/${visitRequest.id}/offers`)
        .set(bearer(v.token))
        .send({ slotId: visitRequest.slots[0].id })
        .expect(201);
      await request(t.http)
        .post(`/invitations/${offer.body.id}/decline`)
        .set(bearer(otherHead))
        .send({})
        .expect(404);
      const declined = await request(t.http)
        .post(`/invitations/${offer.body.id}/decline`)
        .set(bearer(head))
        .send({ reason: 'We found someone already' })
        .expect(200);
      expect(declined.body).toMatchObject({ kind: 'offer', status: 'declined' });
      await accept(t, head, offer.body.id).expect(409);
      const mine = await request(t.http)
        .get('/volunteers/me/invitations')
        .set(bearer(v.token))
        .expect(200);
      expect(mine.body).toEqual([
        expect.objectContaining({ id: offer.body.id, status: 'declined' }),
      ]);
      expect(await confirmedVisitsOf(t, v.id)).toBe(0);
    });
  });

  describe('concurrency', () => {
    it('confirms exactly one of twenty volunteers accepting a one-volunteer request at once', async () => {
      const crowd = await Promise.all(
        Array.from({ length: 20 }, (_, i) => volunteer(t, coordinator, `crowd${i}`)),
      );
      const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[8], 9)]);
      const invitations: string[] = [];
      for (const v of crowd) invitations.push(await invite(t, head, visitRequest, v.id));

      const answers = await Promise.all(crowd.map((v, i) => accept(t, v.token, invitations[i])));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);

      const [{ count }] = await t.dataSource.query(
        `SELECT count(*)::int AS count FROM visits WHERE request_id = $1 AND status = 'confirmed'`,
        [visitRequest.id],
      );
      expect(count).toBe(1);
      const filled = await request(t.http)
        .get(`/requests/${visitRequest.id}`)
        .set(bearer(head))
        .expect(200);
      expect(filled.body).toMatchObject({ status: 'filled', volunteersConfirmed: 1 });
      const all = await request(t.http)
        .get(`/requests/${visitRequest.id}/invitations`)
        .set(bearer(head))
        .expect(200);
      const byStatus = all.body.map((i: { status: string }) => i.status).sort();
      expect(byStatus.filter((s: string) => s === 'accepted')).toHaveLength(1);
      expect(byStatus.filter((s: string) => s === 'withdrawn')).toHaveLength(19);
    });

    /** One volunteer invited by two schools; both invitations accepted at once. */
    async function raceTwoSchools(first: string, second: string) {
      const v = await volunteer(t, coordinator, 'double-booked');
      const a = await createRequest(t, head, PLYMOUTH_GROVE, [first]);
      const b = await createRequest(t, otherHead, otherSchool, [second]);
      const [ia, ib] = [await invite(t, head, a, v.id), await invite(t, otherHead, b, v.id)];
      const answers = await Promise.all([accept(t, v.token, ia), accept(t, v.token, ib)]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const refused = answers.find((r) => r.status === 409)!;
      expect(refused.body).toMatchObject({
        code: 'visit_overlap',
        message: expect.stringMatching(/already has a visit at that time/),
      });
      expect(await confirmedVisitsOf(t, v.id)).toBe(1);
    }

    it('never confirms one volunteer at two schools at the same time', async () => {
      await raceTwoSchools(at(days[8], 10), at(days[8], 10));
    });

    it('never confirms one volunteer at another school 15 minutes after a visit ends', async () => {
      await raceTwoSchools(at(days[8], 13), at(days[8], 14, 15));
    });

    it('allows back-to-back visits at the same school', async () => {
      const v = await volunteer(t, coordinator, 'back-to-back');
      const a = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[9], 10)]);
      const b = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[9], 11)]);
      const [ia, ib] = [await invite(t, head, a, v.id), await invite(t, head, b, v.id)];
      const answers = await Promise.all([accept(t, v.token, ia), accept(t, v.token, ib)]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      expect(await confirmedVisitsOf(t, v.id)).toBe(2);
    });

    it('keeps 30 minutes between visits at different schools', async () => {
      const v = await volunteer(t, coordinator, 'traveller');
      const first = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[10], 10)]);
      const tooSoon = await createRequest(t, otherHead, otherSchool, [at(days[10], 11, 20)]);
      const inTime = await createRequest(t, otherHead, otherSchool, [at(days[10], 11, 30)]);
      const firstInvitation = await invite(t, head, first, v.id);
      const tooSoonInvitation = await invite(t, otherHead, tooSoon, v.id);

      await accept(t, v.token, firstInvitation).expect(200);
      const refused = await accept(t, v.token, tooSoonInvitation).expect(409);
      expect(refused.body.code).toBe('visit_overlap');

      // Matching agrees with the database: 20 minutes is too soon, 30 is fine.
      const another = await createRequest(t, otherHead, otherSchool, [at(days[10], 11, 20)]);
      expect(ids(await candidates(t, otherHead, another.id))).not.toContain(v.id);
      expect(ids(await candidates(t, otherHead, inTime.id))).toContain(v.id);
      const inTimeInvitation = await invite(t, otherHead, inTime, v.id);
      await accept(t, v.token, inTimeInvitation).expect(200);
      expect(await confirmedVisitsOf(t, v.id)).toBe(2);
    });
  });

  describe('visits', () => {
    it('reopens a filled request when the volunteer cancels, and frees the volunteer', async () => {
      const v = await volunteer(t, coordinator, 'cancels');
      const { visitRequest, visitId } = await confirmedVisit(
        t,
        head,
        PLYMOUTH_GROVE,
        at(days[11], 13),
        v,
      );
      const elsewhere = await createRequest(t, otherHead, otherSchool, [at(days[11], 13)]);
      expect(ids(await candidates(t, otherHead, elsewhere.id))).not.toContain(v.id);

      await request(t.http)
        .post(`/visits/${visitId}/cancel`)
        .set(bearer(v.token))
        .send({})
        .expect(400);
      const cancelled = await request(t.http)
        .post(`/visits/${visitId}/cancel`)
        .set(bearer(v.token))
        .send({ reason: 'On call that day' })
        .expect(200);
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        cancelledBy: 'volunteer',
        cancelReason: 'On call that day',
      });
      const reopened = await request(t.http)
        .get(`/requests/${visitRequest.id}`)
        .set(bearer(head))
        .expect(200);
      expect(reopened.body).toMatchObject({ status: 'open', volunteersConfirmed: 0 });
      expect(ids(await candidates(t, otherHead, elsewhere.id))).toContain(v.id);
    });

    it('reopens a filled request when the school cancels', async () => {
      const v = await volunteer(t, coordinator, 'cancelled');
      const { visitRequest, visitId } = await confirmedVisit(
        t,
        head,
        PLYMOUTH_GROVE,
        at(days[11], 10),
        v,
      );
      const cancelled = await request(t.http)
        .post(`/visits/${visitId}/cancel`)
        .set(bearer(head))
        .send({ reason: 'School closed for a burst pipe' })
        .expect(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledBy: 'school' });
      const reopened = await request(t.http)
        .get(`/requests/${visitRequest.id}`)
        .set(bearer(head))
        .expect(200);
      expect(reopened.body.status).toBe('open');
      expect(await confirmedVisitsOf(t, v.id)).toBe(0);
    });

    it('shows a visit only to its parties, and completes it only once it has started', async () => {
      const v = await volunteer(t, coordinator, 'visitor');
      const stranger = await volunteer(t, coordinator, 'stranger');
      const { visitId } = await confirmedVisit(t, head, PLYMOUTH_GROVE, at(days[11], 15), v);

      await request(t.http).get(`/visits/${visitId}`).set(bearer(v.token)).expect(200);
      await request(t.http).get(`/visits/${visitId}`).set(bearer(head)).expect(200);
      await request(t.http).get(`/visits/${visitId}`).set(bearer(stranger.token)).expect(404);
      await request(t.http).get(`/visits/${visitId}`).set(bearer(otherHead)).expect(404);

      const early = await request(t.http)
        .post(`/visits/${visitId}/complete`)
        .set(bearer(head))
        .send({ pupilsReached: 30 })
        .expect(422);
      expect(early.body.code).toBe('visit_not_yet_happened');
    });
  });

  it("keeps every volunteer's matching profile as building it from scratch would", async () => {
    const profiles = () =>
      t.dataSource.query(
        `SELECT volunteer_id, active, point::text, reach::text, radius_m, offer_bits, half_day_bits,
                year_bits, completed, dropped, invitations
         FROM matching_profiles ORDER BY volunteer_id`,
      );
    const kept = await profiles();
    expect(kept.length).toBeGreaterThan(10);
    // The tests above completed, cancelled and invited: the counters moved.
    expect(kept.some((p: { invitations: number }) => p.invitations > 0)).toBe(true);
    await t.dataSource.query('SELECT rebuild_matching_profiles()');
    expect(await profiles()).toEqual(kept);
  });
});

describe('invitation caps and expiry', () => {
  let t: TestApp;
  let coordinator: string;
  let head: string;

  beforeAll(async () => {
    t = await createTestApp({
      env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', INVITATIONS_PER_TERM: '2' },
    });
    coordinator = await coordinatorToken(t);
    head = await schoolMember(t, coordinator, unique('head'), PLYMOUTH_GROVE);
  });
  afterAll(() => t.close());

  const invitationsOf = async (requestId: string) => {
    const response = await request(t.http)
      .get(`/requests/${requestId}/invitations`)
      .set(bearer(head))
      .expect(200);
    return response.body as {
      id: string;
      status: string;
      kind: string;
      volunteer: { volunteerId: string };
    }[];
  };

  const expire = (invitationId: string) =>
    t.dataSource.query(
      `UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [invitationId],
    );

  it('refuses to invite the same volunteer twice for one request', async () => {
    const v = await volunteer(t, coordinator, 'twice', { activities: ['reading'] });
    const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[0], 10)], {
      activity: 'reading',
    });
    await invite(t, head, visitRequest, v.id);
    const again = await request(t.http)
      .post(`/requests/${visitRequest.id}/invitations`)
      .set(bearer(head))
      .send({ volunteerId: v.id, slotId: visitRequest.slots[0].id });
    expect({ status: again.status, code: again.body.code }).toEqual({
      status: 409,
      code: 'already_asked',
    });
    expect(await invitationsOf(visitRequest.id)).toHaveLength(1);
  });

  it('sends one volunteer no more invitations in a term than the cap', async () => {
    const v = await volunteer(t, coordinator, 'popular', { activities: ['reading'] });
    const requests = await Promise.all(
      [days[1], days[2], days[3], nextTermDay].map((day) =>
        createRequest(t, head, PLYMOUTH_GROVE, [at(day, 10)], { activity: 'reading' }),
      ),
    );
    await invite(t, head, requests[0], v.id);
    await invite(t, head, requests[1], v.id);
    const third = await request(t.http)
      .post(`/requests/${requests[2].id}/invitations`)
      .set(bearer(head))
      .send({ volunteerId: v.id, slotId: requests[2].slots[0].id })
      .expect(409);
    expect(third.body.code).toBe('term_invitation_cap');
    // The cap is per term: next term, the volunteer can be invited again.
    await invite(t, head, requests[3], v.id);
  });

  it('expires an unanswered invitation and invites the next candidate when the school opted in', async () => {
    await volunteer(t, coordinator, 'first-choice', { postcode: 'M13' });
    await volunteer(t, coordinator, 'second-choice', { postcode: 'M20' });
    const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[4], 10)], {
      autoInvite: true,
    });
    const [first, second] = (await candidates(t, head, visitRequest.id)).items;
    expect(second).toBeDefined();
    const invitationId = await invite(t, head, visitRequest, first.volunteerId);
    await expire(invitationId);

    expect(await t.app.get(InvitationsService).expireUnanswered()).toBeGreaterThanOrEqual(1);
    const after = await invitationsOf(visitRequest.id);
    expect(after).toEqual([
      expect.objectContaining({
        id: invitationId,
        status: 'expired',
        volunteer: expect.objectContaining({ volunteerId: first.volunteerId }),
      }),
      expect.objectContaining({
        kind: 'invitation',
        status: 'pending',
        volunteer: expect.objectContaining({ volunteerId: second.volunteerId }),
      }),
    ]);
  });

  it('invites nobody new when the school did not opt in', async () => {
    await volunteer(t, coordinator, 'manual-first', { postcode: 'M13' });
    await volunteer(t, coordinator, 'manual-second', { postcode: 'M13' });
    const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[5], 10)]);
    const [first] = (await candidates(t, head, visitRequest.id)).items;
    const invitationId = await invite(t, head, visitRequest, first.volunteerId);
    await expire(invitationId);

    await t.app.get(InvitationsService).expireUnanswered();
    expect(await invitationsOf(visitRequest.id)).toEqual([
      expect.objectContaining({ id: invitationId, status: 'expired' }),
    ]);
    // Someone could have been invited: the school chooses.
    expect((await candidates(t, head, visitRequest.id)).items.length).toBeGreaterThan(0);
  });

  it('expires requests whose proposed times have all passed, with their pending invitations', async () => {
    const v = await volunteer(t, coordinator, 'too-late');
    const stale = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[7], 10)]);
    const live = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[7], 14)]);
    const invitationId = await invite(t, head, stale, v.id);
    // Time passes for the first request only.
    await t.dataSource.query(
      `UPDATE request_slots SET starts_at = now() - interval '2 days', ends_at = now() - interval '2 days' + interval '1 hour'
       WHERE request_id = $1`,
      [stale.id],
    );
    expect(await t.app.get(RequestsService).expireStale()).toBe(1);
    const expired = await request(t.http)
      .get(`/requests/${stale.id}`)
      .set(bearer(head))
      .expect(200);
    expect(expired.body.status).toBe('expired');
    expect(
      (await request(t.http).get(`/requests/${live.id}`).set(bearer(head)).expect(200)).body.status,
    ).toBe('open');
    expect(await invitationsOf(stale.id)).toEqual([
      expect.objectContaining({ id: invitationId, status: 'expired' }),
    ]);
  });

  it('refuses to accept an expired invitation', async () => {
    const v = await volunteer(t, coordinator, 'late');
    const visitRequest = await createRequest(t, head, PLYMOUTH_GROVE, [at(days[6], 10)]);
    const invitationId = await invite(t, head, visitRequest, v.id);
    await expire(invitationId);

    const late = await accept(t, v.token, invitationId).expect(409);
    expect(late.body.message).toMatch(/expired/);
    await t.app.get(InvitationsService).expireUnanswered();
    const later = await accept(t, v.token, invitationId).expect(409);
    expect(later.body.message).toMatch(/expired/);
    expect(await confirmedVisitsOf(t, v.id)).toBe(0);
  });
});
