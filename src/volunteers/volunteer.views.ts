import { EntityManager, In } from 'typeorm';
import { User } from '../users/user.entity';
import { VolunteerDto } from './dto/volunteer.dto';
import { VolunteerCheck } from './volunteer-check.entity';
import { VolunteerUnavailability } from './volunteer-unavailability.entity';
import { Volunteer } from './volunteer.entity';
import { displayStatus, firstNameOf, weeklySlotOf } from './volunteer.rules';

/** Full profiles of several volunteers, with their dates, checks and e-mail, in three queries. */
export async function volunteerViews(
  manager: EntityManager,
  volunteers: Volunteer[],
): Promise<VolunteerDto[]> {
  if (volunteers.length === 0) return [];
  const ids = volunteers.map((v) => v.id);
  const userIds = volunteers.flatMap((v) => (v.userId ? [v.userId] : []));
  // One after another: inside a transaction the three share one connection.
  const ranges = await manager.find(VolunteerUnavailability, {
    where: { volunteerId: In(ids) },
    order: { startsOn: 'ASC' },
  });
  const checks = await manager.find(VolunteerCheck, {
    where: { volunteerId: In(ids) },
    order: { type: 'ASC' },
  });
  const users = userIds.length ? await manager.find(User, { where: { id: In(userIds) } }) : [];
  const emails = new Map(users.map((u) => [u.id, u.email]));
  return volunteers.map((v) => ({
    id: v.id,
    email: (v.userId && emails.get(v.userId)) ?? null,
    displayName: v.displayName,
    firstName: firstNameOf(v.displayName),
    profession: v.profession,
    specialty: v.specialty,
    medicalSchool: v.medicalSchool,
    studyYear: v.studyYear,
    organisation: v.organisation,
    postcode: v.postcode,
    outcode: v.outcode,
    region: v.region,
    travelRadiusKm: v.travelRadiusKm,
    activities: v.activities,
    formats: v.formats,
    yearGroups: v.yearGroups,
    languages: v.languages,
    bio: v.bio,
    availability: {
      weekly: v.weeklyHalfDays.map(weeklySlotOf),
      unavailable: ranges
        .filter((r) => r.volunteerId === v.id)
        .map((r) => ({ from: r.startsOn, to: r.endsOn })),
    },
    maxVisitsPerTerm: v.maxVisitsPerTerm,
    status: displayStatus(v.status, v.pausedAt),
    paused: v.pausedAt !== null,
    statusReason: v.statusReason,
    reviewedAt: v.reviewedAt,
    registration:
      v.registrationBody && v.registrationNumber
        ? { body: v.registrationBody, number: v.registrationNumber }
        : null,
    checks: checks
      .filter((c) => c.volunteerId === v.id)
      .map((c) => ({
        type: c.type,
        date: c.completedOn,
        consent: c.consent,
        recordedAt: c.recordedAt,
      })),
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  }));
}

export async function volunteerView(
  manager: EntityManager,
  volunteer: Volunteer,
): Promise<VolunteerDto> {
  const [view] = await volunteerViews(manager, [volunteer]);
  return view;
}

/** All a school may see of a volunteer: never contact details, full name or postcode. */
export interface SchoolFacingVolunteer {
  volunteerId: string;
  firstName: string;
  profession: Volunteer['profession'];
  specialty: string | null;
  studyYear: number | null;
  organisation: string | null;
  distanceKm: number | null;
}

export function schoolFacingView(
  volunteer: Pick<
    Volunteer,
    'id' | 'displayName' | 'profession' | 'specialty' | 'studyYear' | 'organisation'
  >,
  distanceKm: number | null,
): SchoolFacingVolunteer {
  return {
    volunteerId: volunteer.id,
    firstName: firstNameOf(volunteer.displayName),
    profession: volunteer.profession,
    specialty: volunteer.specialty,
    studyYear: volunteer.studyYear,
    organisation: volunteer.organisation,
    distanceKm,
  };
}
