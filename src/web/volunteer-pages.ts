import { PASSWORD_MIN_LENGTH, RegisterDto } from '../auth/dto/credentials.dto';
import type { FieldError } from '../common/field-error';
import { FieldValidationException } from '../common/http-exception.filter';
import type { InvitationDto } from '../invitations/dto/invitation.dto';
import { Role } from '../users/user.entity';
import type { VisitDto } from '../visits/dto/visit.dto';
import { CreateVolunteerDto, UpdateVolunteerDto } from '../volunteers/dto/volunteer-profile.dto';
import type { VolunteerDto } from '../volunteers/dto/volunteer.dto';
import { DAY_PARTS, WEEKDAYS } from '../volunteers/volunteer.enums';
import { asList, type FormBody, formDto, text, whole } from './forms';
import { ACTIVITY_NAMES, choices, DAY_NAMES, FORMAT_NAMES, PROFESSION_NAMES } from './labels';

/** The radios and checkboxes of the profile forms. */
export const PROFILE_CHOICES = {
  professions: choices(PROFESSION_NAMES),
  activities: choices(ACTIVITY_NAMES),
  formats: choices(FORMAT_NAMES),
  yearGroups: [1, 2, 3, 4, 5, 6].map((year) => ({
    value: String(year),
    text: `Year ${year} (age ${year + 4} to ${year + 5})`,
  })),
  weekly: WEEKDAYS.flatMap((day) =>
    DAY_PARTS.map((part) => ({
      value: `${day}-${part}`,
      text: `${DAY_NAMES[day]} ${part === 'am' ? 'morning' : 'afternoon'}`,
    })),
  ),
  ratings: [
    { value: '5', text: '5 – excellent' },
    { value: '4', text: '4 – good' },
    { value: '3', text: '3 – all right' },
    { value: '2', text: '2 – poor' },
    { value: '1', text: '1 – very poor' },
  ],
};

/** What the first sign-up page shows its checked defaults as. */
export const SIGN_UP_DEFAULTS = {
  travelRadiusKm: '15',
  activities: ['careers_talk'],
  formats: ['in_person'],
};

/**
 * Messages people can act on, for inputs the DTOs reject; the DTOs' own messages name fields the
 * way the API does.
 */
const MESSAGES: Record<string, string> = {
  email: 'Enter your email address in the right format, like name@example.com',
  password: `Enter a password of at least ${PASSWORD_MIN_LENGTH} characters`,
  displayName: 'Enter your name, in up to 80 characters',
  profession: 'Select your profession',
  postcode: 'Enter a postcode, like M13 9PL, or the first half of one, like M13',
  organisation: 'Where you work or study must be 120 characters or fewer',
  specialty: 'Your specialty must be 80 characters or fewer',
  travelRadiusKm: 'Enter how far you will travel, as a whole number of kilometres from 1 to 80',
  activities: 'Select what you can offer from the list',
  formats: 'Select how you can visit from the list',
  yearGroups: 'Select year groups from the list',
  'availability.weekly': 'Select when you can usually visit from the list',
  maxVisitsPerTerm: 'Enter a whole number of visits a term, from 1 to 20',
  rating: 'Select how the visit went, from 1 to 5',
  comment: 'Your comments must be 2,000 characters or fewer',
  reason: 'Tell the school why you need to cancel, in 3 to 500 characters',
};

const ACCOUNT_FIELDS = ['email', 'password', 'agree'];
const MIN_UNAVAILABLE_ROWS = 2;

const PROFILE_FIELDS = [
  'displayName',
  'profession',
  'postcode',
  'organisation',
  'specialty',
  'travelRadiusKm',
  'activities',
  'formats',
  'yearGroups',
  'availability.weekly',
  'availability.unavailable',
  'maxVisitsPerTerm',
];

/** Nested errors (e.g. of one half-day) belong to the input people see, the group. */
function shownField(field: string): string {
  return field.startsWith('availability.weekly') ? 'availability.weekly' : field;
}

/**
 * Validates a form with the API's DTO, adds the form's own rules, and throws one exception with
 * plain messages, in the order the fields appear on the page.
 */
export async function validateForm<T extends object>(
  type: new () => T,
  values: Record<string, unknown>,
  order: string[],
  extra: FieldError[] = [],
): Promise<T> {
  let dto: T | undefined;
  let errors: FieldError[] = [];
  try {
    dto = await formDto(type, values);
  } catch (error) {
    if (!(error instanceof FieldValidationException)) throw error;
    errors = error.errors.map((e) => {
      const field = shownField(e.field);
      return { field, rule: e.rule, message: MESSAGES[field] ?? e.message };
    });
  }
  // One message per field: the first broken rule says what to do.
  const seen = new Set<string>();
  errors = [...errors, ...extra].filter((e) => !seen.has(e.field) && !!seen.add(e.field));
  if (dto && !errors.length) return dto;
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  throw new FieldValidationException(errors.sort((a, b) => rank(a.field) - rank(b.field)));
}

/** The account on the first sign-up page: always a volunteer's. */
export function accountDto(body: FormBody): Promise<RegisterDto> {
  const extra: FieldError[] =
    text(body.agree) === 'yes'
      ? []
      : [
          {
            field: 'agree',
            rule: 'required',
            message: 'Confirm that you have read how we use your information',
          },
        ];
  return validateForm(
    RegisterDto,
    { email: text(body.email) ?? '', password: body.password ?? '', role: Role.Volunteer },
    ACCOUNT_FIELDS,
    extra,
  );
}

const atLeastOne = (field: string, message: string, values: unknown[]): FieldError[] =>
  values.length ? [] : [{ field, rule: 'arrayNotEmpty', message }];

/**
 * The second sign-up page: the three required fields, and what people may change from the
 * defaults (left empty, the defaults apply).
 */
export function newProfileDto(body: FormBody): Promise<CreateVolunteerDto> {
  const activities = asList(body.activities);
  const formats = asList(body.formats);
  return validateForm(
    CreateVolunteerDto,
    {
      displayName: text(body.displayName) ?? '',
      profession: text(body.profession) ?? '',
      postcode: text(body.postcode) ?? '',
      travelRadiusKm: whole(body.travelRadiusKm),
      activities: activities.length ? activities : undefined,
      formats: formats.length ? formats : undefined,
    },
    PROFILE_FIELDS,
  );
}

/** Rows of dates the profile page shows: those given, and at least one empty one. */
export function unavailableRows(values: FormBody): number {
  return Math.max(MIN_UNAVAILABLE_ROWS, unavailableRowsPosted(values) + 1);
}

function unavailableRowsPosted(body: FormBody): number {
  const rows = Object.keys(body)
    .map((key) => /^availability-unavailable-(\d+)-(from|to)$/.exec(key))
    .filter((match) => match && text(body[match[0]]))
    .map((match) => Number(match![1]) + 1);
  return Math.max(0, ...rows);
}

/** The date ranges filled in on the profile page; a range with one end given is one day. */
export function unavailableFromForm(body: FormBody): { from: string; to: string }[] {
  return Array.from({ length: unavailableRowsPosted(body) }, (_, i) => ({
    from: text(body[`availability-unavailable-${i}-from`]) ?? '',
    to: text(body[`availability-unavailable-${i}-to`]) ?? '',
  }))
    .filter((range) => range.from || range.to)
    .map((range) => ({ from: range.from || range.to, to: range.to || range.from }));
}

/** The whole profile page: every field is shown filled in, so every one is sent. */
export function profileChangesDto(body: FormBody): Promise<UpdateVolunteerDto> {
  const activities = asList(body.activities);
  const formats = asList(body.formats);
  const yearGroups = asList(body.yearGroups);
  const weekly = asList(body.weekly);
  return validateForm(
    UpdateVolunteerDto,
    {
      displayName: text(body.displayName) ?? '',
      profession: text(body.profession) ?? '',
      postcode: text(body.postcode) ?? '',
      organisation: text(body.organisation) ?? null,
      specialty: text(body.specialty) ?? null,
      travelRadiusKm: whole(body.travelRadiusKm) ?? '',
      activities,
      formats,
      yearGroups: yearGroups.map((year) => whole(year)),
      availability: {
        weekly: weekly.map((value) => {
          const [day, part] = value.split('-');
          return { day, part };
        }),
        unavailable: unavailableFromForm(body),
      },
      maxVisitsPerTerm: whole(body.maxVisitsPerTerm) ?? '',
    },
    PROFILE_FIELDS,
    [
      ...atLeastOne('activities', 'Select at least one thing you can offer', activities),
      ...atLeastOne('formats', 'Select at least one way you can visit', formats),
      ...atLeastOne('yearGroups', 'Select at least one year group', yearGroups),
      ...atLeastOne(
        'availability.weekly',
        'Select at least one half-day, or take a break from your dashboard instead',
        weekly,
      ),
    ],
  );
}

/** The profile as the profile form's values: text, as a browser would post it back. */
export function profileFormValues(volunteer: VolunteerDto): FormBody {
  return {
    displayName: volunteer.displayName,
    profession: volunteer.profession,
    postcode: volunteer.postcode ?? '',
    organisation: volunteer.organisation ?? '',
    specialty: volunteer.specialty ?? '',
    travelRadiusKm: String(volunteer.travelRadiusKm),
    activities: volunteer.activities,
    formats: volunteer.formats,
    yearGroups: volunteer.yearGroups.map(String),
    weekly: volunteer.availability.weekly.map((s) => `${s.day}-${s.part}`),
    ...Object.fromEntries(
      volunteer.availability.unavailable.flatMap((range, i) => [
        [`availability-unavailable-${i}-from`, range.from],
        [`availability-unavailable-${i}-to`, range.to],
      ]),
    ),
    maxVisitsPerTerm: String(volunteer.maxVisitsPerTerm),
  };
}

/** The form values a re-shown profile form needs: the posted ones, lists kept as lists. */
export function postedProfileValues(body: FormBody): FormBody {
  return {
    ...body,
    activities: asList(body.activities),
    formats: asList(body.formats),
    yearGroups: asList(body.yearGroups),
    weekly: asList(body.weekly),
  };
}

export function feedbackValues(body: FormBody) {
  return { rating: whole(body.rating), comment: text(body.comment) };
}

/** What the dashboard lists: invitations to answer, visits to come, and visits gone by. */
export function dashboardView(invitations: InvitationDto[], visits: VisitDto[], now = new Date()) {
  const upcoming = visits
    .filter((v) => v.status === 'confirmed' && new Date(v.startsAt) > now)
    .sort((a, b) => +new Date(a.startsAt) - +new Date(b.startsAt));
  const past = visits
    .filter((v) => !upcoming.includes(v))
    .sort((a, b) => +new Date(b.startsAt) - +new Date(a.startsAt))
    .map((v) => ({ ...v, feedbackDue: needsFeedback(v) }));
  return {
    invitations: invitations.filter(
      (i) =>
        i.kind === 'invitation' &&
        i.status === 'pending' &&
        (!i.expiresAt || new Date(i.expiresAt) > now),
    ),
    offers: invitations.filter((i) => i.kind === 'offer' && i.status === 'pending'),
    upcoming,
    past,
  };
}

/** A completed visit the volunteer has not yet rated. */
export function needsFeedback(visit: VisitDto): boolean {
  return visit.status === 'completed' && !visit.feedback.some((f) => f.side === 'volunteer');
}

/** A visit to come that can still be called off. */
export function canCancel(visit: VisitDto, now = new Date()): boolean {
  return visit.status === 'confirmed' && new Date(visit.startsAt) > now;
}

/**
 * What a volunteer sees of a visit: the school's contacts only while the visit is on, and
 * nothing of the volunteer but what they already know.
 */
export function visitView(visit: VisitDto, now = new Date()) {
  const live = visit.status === 'confirmed' || visit.status === 'completed';
  return {
    id: visit.id,
    status: visit.status,
    startsAt: visit.startsAt,
    endsAt: visit.endsAt,
    activity: visit.activity,
    format: visit.format,
    cancelReason: visit.cancelReason,
    school: {
      name: visit.school.name,
      town: visit.school.town,
      postcode: live ? visit.school.postcode : null,
      supervisor: live ? visit.school.supervisor : null,
      contacts: live ? visit.school.contacts : [],
    },
    myFeedback: visit.feedback.find((f) => f.side === 'volunteer') ?? null,
    feedbackDue: needsFeedback(visit),
    cancellable: canCancel(visit, now),
    upcoming: visit.status === 'confirmed' && new Date(visit.startsAt) > now,
  };
}

/** One line after an action, shown at the top of the next page. */
export const NOTICES: Record<string, string> = {
  accepted: 'Visit confirmed. The school has your details and you have theirs.',
  declined: 'Invitation declined. We have told the school.',
  paused: 'You are taking a break. Schools will not invite you until you come back.',
  resumed: 'Welcome back. Schools near you can invite you again.',
  offered: 'Offer sent. The school will confirm or decline it.',
  feedback: 'Thank you for your feedback.',
  cancelled: 'Visit cancelled. We have told the school.',
  profile: 'Your profile is saved.',
};

export function noticeFor(code: unknown): string | undefined {
  return typeof code === 'string' && Object.hasOwn(NOTICES, code) ? NOTICES[code] : undefined;
}
