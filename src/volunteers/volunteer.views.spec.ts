import { Volunteer } from './volunteer.entity';
import { Profession, RegistrationBody } from './volunteer.enums';
import { schoolFacingView } from './volunteer.views';

describe('what a school sees of a volunteer', () => {
  it('is the first name, profession, specialty or year, organisation and distance only', () => {
    const volunteer = Object.assign(new Volunteer(), {
      id: 'a3c1c8f4-1f0e-4e0b-9a53-7d1f4c9f1a10',
      userId: 'b0f8c1d2-0000-4000-8000-000000000001',
      displayName: 'Asha Patel',
      profession: Profession.Doctor,
      specialty: 'Paediatrics',
      studyYear: null,
      organisation: 'Manchester University NHS Foundation Trust',
      postcode: 'M13 9PL',
      latitude: 53.46,
      longitude: -2.22,
      registrationBody: RegistrationBody.Gmc,
      registrationNumber: '1234567',
      bio: 'Paediatric registrar',
    });
    const seen = schoolFacingView(volunteer, 1.24);
    expect(seen).toEqual({
      volunteerId: volunteer.id,
      firstName: 'Asha',
      profession: 'doctor',
      specialty: 'Paediatrics',
      studyYear: null,
      organisation: 'Manchester University NHS Foundation Trust',
      distanceKm: 1.24,
    });
    expect(JSON.stringify(seen)).not.toMatch(/Patel|M13 9PL|1234567|53\.46/);
  });
});
