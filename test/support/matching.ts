import request from 'supertest';
import { londonDate, londonInstant } from '../../src/calendar/london-time';
import { TermCalendar } from '../../src/calendar/term-calendar';
import { bearer, PASSWORD, signUp } from './accounts';
import type { TestApp } from './app';

/** An approved member of staff of the school, ready to request visits. */
export async function schoolMember(
  t: TestApp,
  coordinator: string,
  email: string,
  urn: number,
): Promise<string> {
  const token = await signUp(t, email, 'school_staff');
  const membership = await request(t.http)
    .post(`/schools/${urn}/memberships`)
    .set(bearer(token))
    .send({ jobTitle: 'Head teacher' })
    .expect(201);
  await request(t.http)
    .post(`/memberships/${membership.body.id}/approve`)
    .set(bearer(coordinator))
    .send({})
    .expect(200);
  return token;
}

/** An approved volunteer with a profile (defaults: a doctor in M13 offering a careers talk). */
export async function approvedVolunteer(
  t: TestApp,
  coordinator: string,
  email: string,
  profile: Record<string, unknown> = {},
): Promise<{ token: string; id: string }> {
  const token = await signUp(t, email, 'volunteer');
  const created = await request(t.http)
    .post('/volunteers')
    .set(bearer(token))
    .send({
      displayName: `${email.split('@')[0]} Tester`,
      profession: 'doctor',
      postcode: 'M13 9PL',
      ...profile,
    })
    .expect(201);
  await request(t.http)
    .post(`/volunteers/${created.body.id}/approve`)
    .set(bearer(coordinator))
    .send({})
    .expect(200);
  return { token, id: created.body.id };
}

const calendar = TermCalendar.load();

/** School days (London dates) starting at least `fromDays` days from now. */
export function schoolDays(count: number, fromDays = 7): string[] {
  const days: string[] = [];
  for (let offset = fromDays; days.length < count; offset++) {
    const date = londonDate(new Date(Date.now() + offset * 86_400_000));
    if (calendar.isSchoolDay(date)) days.push(date);
  }
  return days;
}

/** The instant London clocks read `hour`:`minute` on that date, as an ISO string. */
export function at(date: string, hour: number, minute = 0): string {
  return londonInstant(date, hour, minute).toISOString();
}

export const REQUEST = {
  activity: 'careers_talk',
  format: 'in_person',
  yearGroups: [5, 6],
  pupils: 60,
  volunteersWanted: 1,
  supervisor: 'Mrs Rahman',
};

export { PASSWORD };
