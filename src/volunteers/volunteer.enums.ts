export enum Profession {
  Doctor = 'doctor',
  MedicalStudent = 'medical_student',
  Nurse = 'nurse',
  Midwife = 'midwife',
  Paramedic = 'paramedic',
  Pharmacist = 'pharmacist',
  AlliedHealthProfessional = 'allied_health_professional',
  Dentist = 'dentist',
  HealthcareScientist = 'healthcare_scientist',
  Other = 'other',
}

export enum Activity {
  CareersTalk = 'careers_talk',
  ScienceWorkshop = 'science_workshop',
  Reading = 'reading',
  WhatsMyLine = 'whats_my_line',
  VirtualQa = 'virtual_qa',
  MockClinic = 'mock_clinic',
}

export enum VisitFormat {
  InPerson = 'in_person',
  Virtual = 'virtual',
}

export enum VolunteerStatus {
  Pending = 'pending',
  Approved = 'approved',
  Rejected = 'rejected',
}

/** What the API shows: an approved volunteer who has paused is `paused`. */
export type VolunteerDisplayStatus = VolunteerStatus | 'paused';

export enum RegistrationBody {
  /** General Medical Council: doctors. */
  Gmc = 'gmc',
  /** Nursing and Midwifery Council: nurses and midwives. */
  Nmc = 'nmc',
  /** Health and Care Professions Council: paramedics, allied health professionals, scientists. */
  Hcpc = 'hcpc',
  /** General Dental Council. */
  Gdc = 'gdc',
  /** General Pharmaceutical Council. */
  Gphc = 'gphc',
  Other = 'other',
}

export enum CheckType {
  SafeguardingTraining = 'safeguarding_training',
  /** Consent to a status check on the DBS Update Service. */
  DbsUpdateService = 'dbs_update_service',
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const DAY_PARTS = ['am', 'pm'] as const;
export type DayPart = (typeof DAY_PARTS)[number];
