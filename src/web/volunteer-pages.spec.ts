import { FieldValidationException } from '../common/http-exception.filter';
import type { InvitationDto } from '../invitations/dto/invitation.dto';
import type { VisitDto } from '../visits/dto/visit.dto';
import type { VolunteerDto } from '../volunteers/dto/volunteer.dto';
import {
  accountDto,
  dashboardView,
  newProfileDto,
  noticeFor,
  profileChangesDto,
  profileFormValues,
  visitView,
  unavailableFromForm,
  unavailableRows,
} from './volunteer-pages';

const NOW = new Date('2026-03-02T12:00:00Z');
const LATER = new Date('2026-03-10T10:00:00Z');
const EARLIER = new Date('2026-02-10T10:00:00Z');

async function fieldErrors(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FieldValidationException);
  return (error as FieldValidationException).errors.map((e) => [e.field, e.message]);
}

function visit(overrides: Partial<VisitDto>): VisitDto {
  return {
    id: 'v1',
    status: 'confirmed',
    startsAt: LATER,
    endsAt: new Date(LATER.getTime() + 3_600_000),
    requestId: 'r1',
    activity: 'careers_talk',
    format: 'in_person',
    pupilsReached: null,
    cancelReason: null,
    cancelledBy: null,
    school: {
      urn: 1,
      name: 'Plymouth Grove',
      postcode: 'M13 0AQ',
      town: 'Manchester',
      supervisor: 'Mrs Rahman',
      contacts: ['head@school.example.org'],
    },
    volunteer: {
      id: 'vol',
      displayName: 'Priya Shah',
      profession: 'doctor',
      organisation: null,
      email: 'priya@example.org',
    },
    feedback: [],
    ...overrides,
  };
}

function invitation(overrides: Partial<InvitationDto>): InvitationDto {
  return {
    id: 'i1',
    kind: 'invitation',
    status: 'pending',
    requestId: 'r1',
    schoolUrn: 1,
    schoolName: 'Plymouth Grove',
    activity: 'careers_talk',
    format: 'in_person',
    slotId: 's1',
    startsAt: LATER,
    endsAt: LATER,
    message: null,
    expiresAt: LATER,
    volunteer: { volunteerId: 'vol', firstName: 'Priya', profession: 'doctor', organisation: null },
    createdAt: EARLIER,
    ...overrides,
  } as InvitationDto;
}

describe('the first sign-up page', () => {
  it('makes a volunteer account', async () => {
    const dto = await accountDto({
      email: ' priya@example.org ',
      password: 'a long enough password',
      agree: 'yes',
      role: 'coordinator',
    });
    expect(dto).toMatchObject({ email: 'priya@example.org', role: 'volunteer' });
  });

  it('names every problem in page order, in words people can act on', async () => {
    expect(await fieldErrors(accountDto({ email: 'nope', password: 'short' }))).toEqual([
      ['email', expect.stringMatching(/^Enter your email address/)],
      ['password', 'Enter a password of at least 10 characters'],
      ['agree', 'Confirm that you have read how we use your information'],
    ]);
  });
});

describe('the second sign-up page', () => {
  it('needs only a name, a profession and a postcode', async () => {
    const dto = await newProfileDto({
      displayName: 'Priya Shah',
      profession: 'doctor',
      postcode: 'm13 9pl',
      travelRadiusKm: '',
    });
    expect(dto).toMatchObject({ displayName: 'Priya Shah', profession: 'doctor' });
    expect(dto.travelRadiusKm).toBeUndefined();
    expect(dto.activities).toBeUndefined();
  });

  it('takes the choices people changed', async () => {
    const dto = await newProfileDto({
      displayName: 'Priya Shah',
      profession: 'nurse',
      postcode: 'M13',
      travelRadiusKm: '25',
      activities: ['reading', 'mock_clinic'],
      formats: 'virtual',
    });
    expect(dto).toMatchObject({
      travelRadiusKm: 25,
      activities: ['reading', 'mock_clinic'],
      formats: ['virtual'],
    });
  });

  it('says what is missing', async () => {
    expect(await fieldErrors(newProfileDto({ travelRadiusKm: 'far' }))).toEqual([
      ['displayName', 'Enter your name, in up to 80 characters'],
      ['profession', 'Select your profession'],
      ['postcode', expect.stringMatching(/^Enter a postcode/)],
      ['travelRadiusKm', expect.stringMatching(/^Enter how far you will travel/)],
    ]);
  });
});

describe('the profile page', () => {
  const profile: VolunteerDto = {
    displayName: 'Priya Shah',
    profession: 'doctor',
    postcode: 'M13 9PL',
    organisation: null,
    specialty: 'Paediatrics',
    travelRadiusKm: 15,
    activities: ['careers_talk'],
    formats: ['in_person'],
    yearGroups: [3, 4],
    availability: {
      weekly: [
        { day: 'mon', part: 'am' },
        { day: 'fri', part: 'pm' },
      ],
      unavailable: [],
    },
    maxVisitsPerTerm: 3,
  } as unknown as VolunteerDto;

  it('shows the profile as form values and reads them back unchanged', async () => {
    const values = profileFormValues(profile);
    expect(values).toMatchObject({
      travelRadiusKm: '15',
      yearGroups: ['3', '4'],
      weekly: ['mon-am', 'fri-pm'],
      organisation: '',
    });
    const dto = await profileChangesDto(values);
    expect(dto).toMatchObject({
      displayName: 'Priya Shah',
      organisation: null,
      specialty: 'Paediatrics',
      travelRadiusKm: 15,
      yearGroups: [3, 4],
      availability: {
        weekly: [
          { day: 'mon', part: 'am' },
          { day: 'fri', part: 'pm' },
        ],
      },
      maxVisitsPerTerm: 3,
    });
  });

  it('asks for at least one of each choice and puts a bad half-day on its group', async () => {
    const values = { ...profileFormValues(profile), activities: [], weekly: ['sat-am'] };
    expect(await fieldErrors(profileChangesDto(values))).toEqual([
      ['activities', 'Select at least one thing you can offer'],
      ['availability.weekly', 'Select when you can usually visit from the list'],
    ]);
  });

  it('does not let a required field be emptied', async () => {
    const values = { ...profileFormValues(profile), displayName: ' ', maxVisitsPerTerm: '' };
    expect(await fieldErrors(profileChangesDto(values))).toEqual([
      ['displayName', 'Enter your name, in up to 80 characters'],
      ['maxVisitsPerTerm', 'Enter a whole number of visits a term, from 1 to 20'],
    ]);
  });
});

describe('the dashboard', () => {
  it('sorts invitations to answer, visits to come and visits gone by', () => {
    const view = dashboardView(
      [
        invitation({ id: 'open' }),
        invitation({ id: 'lapsed', expiresAt: EARLIER }),
        invitation({ id: 'answered', status: 'accepted' as never }),
        invitation({ id: 'offer', kind: 'offer' as never }),
      ],
      [
        visit({ id: 'next' }),
        visit({ id: 'done', status: 'completed', startsAt: EARLIER }),
        visit({
          id: 'rated',
          status: 'completed',
          startsAt: EARLIER,
          feedback: [{ side: 'volunteer', rating: 5, comment: null, createdAt: EARLIER }],
        }),
        visit({ id: 'off', status: 'cancelled' }),
      ],
      NOW,
    );
    expect(view.invitations.map((i) => i.id)).toEqual(['open']);
    expect(view.offers.map((i) => i.id)).toEqual(['offer']);
    expect(view.upcoming.map((v) => v.id)).toEqual(['next']);
    expect(view.past.map((v) => [v.id, v.feedbackDue])).toEqual([
      ['off', false],
      ['done', true],
      ['rated', false],
    ]);
  });
});

describe('a visit page', () => {
  it('shows the school’s contacts while the visit is on', () => {
    const view = visitView(visit({}), NOW);
    expect(view.school.contacts).toEqual(['head@school.example.org']);
    expect(view).toMatchObject({ upcoming: true, cancellable: true, feedbackDue: false });
    expect(JSON.stringify(view)).not.toContain('priya@example.org');
  });

  it('hides them once the visit is called off', () => {
    const view = visitView(visit({ status: 'cancelled', cancelReason: 'Ill' }), NOW);
    expect(view.school).toMatchObject({ contacts: [], supervisor: null, postcode: null });
    expect(view).toMatchObject({ cancellable: false, cancelReason: 'Ill' });
  });
});

describe('notices', () => {
  it('shows only the lines it knows', () => {
    expect(noticeFor('paused')).toMatch(/taking a break/);
    expect(noticeFor('<script>')).toBeUndefined();
    expect(noticeFor('constructor')).toBeUndefined();
    expect(noticeFor(['paused'])).toBeUndefined();
  });
});

describe('dates a volunteer cannot do', () => {
  it('reads every filled row, a single date as a one-day range, and skips empty rows', () => {
    expect(
      unavailableFromForm({
        'availability-unavailable-0-from': '2027-05-10',
        'availability-unavailable-0-to': '2027-05-21',
        'availability-unavailable-1-from': '',
        'availability-unavailable-1-to': '',
        'availability-unavailable-2-from': '2027-06-01',
      }),
    ).toEqual([
      { from: '2027-05-10', to: '2027-05-21' },
      { from: '2027-06-01', to: '2027-06-01' },
    ]);
  });

  it('shows the rows given and a free one, at least two', () => {
    expect(unavailableRows({})).toBe(2);
    expect(unavailableRows({ 'availability-unavailable-2-to': '2027-06-01' })).toBe(4);
  });
});
