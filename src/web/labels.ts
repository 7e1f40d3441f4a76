import { Activity, Profession, VisitFormat } from '../volunteers/volunteer.enums';

/** What people read for the values the API uses. */
export const PROFESSION_NAMES: Record<Profession, string> = {
  [Profession.Doctor]: 'Doctor',
  [Profession.MedicalStudent]: 'Medical student',
  [Profession.Nurse]: 'Nurse',
  [Profession.Midwife]: 'Midwife',
  [Profession.Paramedic]: 'Paramedic',
  [Profession.Pharmacist]: 'Pharmacist',
  [Profession.AlliedHealthProfessional]: 'Allied health professional',
  [Profession.Dentist]: 'Dentist',
  [Profession.HealthcareScientist]: 'Healthcare scientist',
  [Profession.Other]: 'Other health professional',
};

export const ACTIVITY_NAMES: Record<Activity, string> = {
  [Activity.CareersTalk]: 'Careers talk',
  [Activity.ScienceWorkshop]: 'Science workshop',
  [Activity.Reading]: 'Reading with pupils',
  [Activity.WhatsMyLine]: '“What’s my line?”',
  [Activity.VirtualQa]: 'Virtual Q&A',
  [Activity.MockClinic]: 'Mock clinic',
};

export const FORMAT_NAMES: Record<VisitFormat, string> = {
  [VisitFormat.InPerson]: 'In person',
  [VisitFormat.Virtual]: 'Virtual (video call)',
};

export const DAY_NAMES = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
};

/** `[{ value, text }]` for radios, checkboxes and selects. */
export function choices(names: Record<string, string>) {
  return Object.entries(names).map(([value, text]) => ({ value, text }));
}

const LONDON_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
});

/** "Tuesday 3 March 2026 at 10:00", in UK time. */
export function ukDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  return `${LONDON_DATE.format(date).replace(',', '')} at ${LONDON_TIME.format(date)}`;
}

/** "Tuesday 3 March 2026", in UK time. */
export function ukDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  return LONDON_DATE.format(new Date(value)).replace(',', '');
}
