import { Profession, RegistrationBody, VolunteerStatus } from './volunteer.enums';
import {
  canMoveTo,
  checkRegistration,
  displayStatus,
  firstNameOf,
  halfDayCode,
  parseProfession,
  weeklySlotOf,
} from './volunteer.rules';

describe('weekly half-days', () => {
  it('numbers Monday morning 0 to Friday afternoon 9, and back', () => {
    expect(halfDayCode({ day: 'mon', part: 'am' })).toBe(0);
    expect(halfDayCode({ day: 'wed', part: 'pm' })).toBe(5);
    expect(halfDayCode({ day: 'fri', part: 'pm' })).toBe(9);
    for (let code = 0; code < 10; code++) expect(halfDayCode(weeklySlotOf(code))).toBe(code);
  });
});

describe('professional registration', () => {
  it('accepts a registration that fits the profession', () => {
    expect(checkRegistration(Profession.Doctor, RegistrationBody.Gmc, '1234567')).toBeUndefined();
    expect(checkRegistration(Profession.Midwife, RegistrationBody.Nmc, '12a3456e')).toBeUndefined();
    expect(
      checkRegistration(Profession.Paramedic, RegistrationBody.Hcpc, 'PA123456'),
    ).toBeUndefined();
    expect(
      checkRegistration(Profession.Pharmacist, RegistrationBody.Gphc, '2087654'),
    ).toBeUndefined();
  });

  it('refuses a register that does not hold the profession', () => {
    expect(checkRegistration(Profession.Nurse, RegistrationBody.Gmc, '1234567')).toMatchObject({
      field: 'registration.body',
      message: 'a nurse is registered with NMC',
    });
    expect(
      checkRegistration(Profession.MedicalStudent, RegistrationBody.Gmc, '1234567'),
    ).toMatchObject({
      field: 'registration.body',
    });
  });

  it('refuses a number in the wrong format, saying what it looks like', () => {
    expect(checkRegistration(Profession.Doctor, RegistrationBody.Gmc, '12345')).toMatchObject({
      field: 'registration.number',
      message: 'a GMC number is 7 digits',
    });
    expect(checkRegistration(Profession.Nurse, RegistrationBody.Nmc, '1234567')).toMatchObject({
      field: 'registration.number',
    });
  });
});

describe('profession names from spreadsheets', () => {
  it('reads codes and words in any case', () => {
    expect(parseProfession('Medical student')).toBe(Profession.MedicalStudent);
    expect(parseProfession('allied-health-professional')).toBe(Profession.AlliedHealthProfessional);
    expect(parseProfession(' DOCTOR ')).toBe(Profession.Doctor);
    expect(parseProfession('surgeon')).toBeUndefined();
  });
});

describe('what schools and coordinators see', () => {
  it('shows schools the first name only', () => {
    expect(firstNameOf('  Asha   Patel ')).toBe('Asha');
  });

  it('shows an approved volunteer who paused as paused', () => {
    expect(displayStatus(VolunteerStatus.Approved, new Date())).toBe('paused');
    expect(displayStatus(VolunteerStatus.Approved, null)).toBe('approved');
    expect(displayStatus(VolunteerStatus.Pending, new Date())).toBe('pending');
  });

  it('lets coordinators approve or reject, but not send a profile back to pending', () => {
    expect(canMoveTo(VolunteerStatus.Pending, VolunteerStatus.Approved)).toBe(true);
    expect(canMoveTo(VolunteerStatus.Approved, VolunteerStatus.Rejected)).toBe(true);
    expect(canMoveTo(VolunteerStatus.Rejected, VolunteerStatus.Approved)).toBe(true);
    expect(canMoveTo(VolunteerStatus.Approved, VolunteerStatus.Approved)).toBe(false);
    expect(canMoveTo(VolunteerStatus.Approved, VolunteerStatus.Pending)).toBe(false);
  });
});
