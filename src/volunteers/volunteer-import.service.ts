import { HttpStatus, Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { isEmail } from 'class-validator';
import { DataSource } from 'typeorm';
import { AccountSetupService } from '../auth/account-setup.service';
import { AuditAction, AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/current-user.decorator';
import { DomainError } from '../common/domain-error';
import { MailService } from '../mail/mail.service';
import { OutcodeDirectory, type LocatedPostcode } from '../postcodes/outcode-directory';
import { Role } from '../users/user.entity';
import { Volunteer } from './volunteer.entity';
import { Profession, VolunteerStatus } from './volunteer.enums';
import { firstNameOf, parseProfession } from './volunteer.rules';

export const MAX_COHORT_ROWS = 2000;

export class CohortFileError extends DomainError<'invalid_cohort_file'> {
  get status() {
    return HttpStatus.BAD_REQUEST;
  }
}

/** Header spellings accepted for each column (compared without case, spaces or punctuation). */
const COLUMNS = {
  name: ['name', 'displayname', 'fullname'],
  email: ['email', 'emailaddress'],
  profession: ['profession', 'role'],
  postcode: ['postcode', 'postcodedistrict'],
  organisation: ['organisation', 'organization', 'trust', 'university'],
  specialty: ['specialty', 'speciality'],
  medicalSchool: ['medicalschool'],
  studyYear: ['studyyear', 'year', 'yearofstudy'],
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: Column[] = ['name', 'email', 'profession', 'postcode'];

interface CohortMember {
  line: number;
  name: string;
  email: string;
  profession: Profession;
  location: LocatedPostcode;
  organisation: string | null;
  specialty: string | null;
  medicalSchool: string | null;
  studyYear: number | null;
}

export interface CohortImportResult {
  created: { line: number; email: string; volunteerId: string }[];
  rejected: { line: number; email: string | null; reason: string }[];
}

/**
 * Invites a cohort (say, a medical school year) from a CSV: each good row becomes a pending
 * volunteer whose owner finishes sign-up through a one-time link sent by e-mail.
 */
@Injectable()
export class VolunteerImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outcodes: OutcodeDirectory,
    private readonly accountSetup: AccountSetupService,
    private readonly audit: AuditService,
    private readonly mail: MailService,
  ) {}

  async importCohort(csv: unknown, actor: AuthUser): Promise<CohortImportResult> {
    const { members, rejected } = this.read(csv);
    const created: CohortImportResult['created'] = [];
    await this.dataSource.transaction(async (manager) => {
      for (const member of members) {
        const [user] = await manager.query<{ id: string }[]>(
          `INSERT INTO users (email, role) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING RETURNING id`,
          [member.email, Role.Volunteer],
        );
        if (!user) {
          rejected.push({
            line: member.line,
            email: member.email,
            reason: 'an account with this e-mail already exists',
          });
          continue;
        }
        const { identifiers } = await manager.insert(Volunteer, {
          userId: user.id,
          displayName: member.name,
          profession: member.profession,
          postcode: member.location.postcode,
          outcode: member.location.outcode,
          region: member.location.region,
          laGssCode: member.location.laGssCode,
          latitude: member.location.latitude,
          longitude: member.location.longitude,
          organisation: member.organisation,
          specialty: member.specialty,
          medicalSchool: member.medicalSchool,
          studyYear: member.studyYear,
          status: VolunteerStatus.Pending,
        });
        const volunteerId = identifiers[0].id as string;
        const link = await this.accountSetup.createLink(manager, user.id);
        await this.mail.enqueue(manager, [invitationEmail(member, link)]);
        created.push({ line: member.line, email: member.email, volunteerId });
      }
      await this.audit.record(
        manager,
        actor,
        AuditAction.VolunteerInvited,
        'volunteer',
        created.map((c) => c.volunteerId),
      );
    });
    this.mail.dispatchSoon();
    rejected.sort((a, b) => a.line - b.line);
    return { created, rejected };
  }

  private read(csv: unknown): {
    members: CohortMember[];
    rejected: CohortImportResult['rejected'];
  } {
    if (typeof csv !== 'string' || csv.trim() === '') {
      throw new CohortFileError(
        'invalid_cohort_file',
        'Send the cohort as a CSV body with Content-Type: text/csv',
        'body',
      );
    }
    let rows: { record: Record<string, string>; info: { lines: number } }[];
    let header: string[] = [];
    try {
      rows = parse(csv.replace(/^\uFEFF/, ''), {
        columns: (names: string[]) => (header = names.map(canonicalColumn)),
        info: true,
        skip_empty_lines: true,
        trim: true,
        relax_column_count: true,
      });
    } catch (error) {
      throw new CohortFileError(
        'invalid_cohort_file',
        `The CSV cannot be read: ${(error as Error).message}`,
        'body',
      );
    }
    const missing = REQUIRED.filter((column) => !header.includes(column));
    if (rows.length === 0 || missing.length) {
      throw new CohortFileError(
        'invalid_cohort_file',
        `The CSV needs a header row with the columns ${REQUIRED.join(', ')}` +
          (missing.length && rows.length ? ` (missing: ${missing.join(', ')})` : ''),
        'body',
      );
    }
    if (rows.length > MAX_COHORT_ROWS) {
      throw new CohortFileError(
        'invalid_cohort_file',
        `A cohort file may hold at most ${MAX_COHORT_ROWS} rows`,
        'body',
      );
    }

    const members: CohortMember[] = [];
    const rejected: CohortImportResult['rejected'] = [];
    const seen = new Map<string, number>();
    for (const { record, info } of rows) {
      const line = info.lines;
      const email = record.email?.toLowerCase() || null;
      const reason = this.problemWith(record, seen);
      if (reason) {
        rejected.push({ line, email, reason });
        continue;
      }
      seen.set(email!, line);
      const profession = parseProfession(record.profession)!;
      const student = profession === Profession.MedicalStudent;
      members.push({
        line,
        name: record.name,
        email: email!,
        profession,
        location: this.outcodes.locatePostcode(record.postcode),
        organisation: record.organisation || null,
        specialty: record.specialty || null,
        medicalSchool: student ? record.medicalSchool || null : null,
        studyYear: student && record.studyYear ? Number(record.studyYear) : null,
      });
    }
    return { members, rejected };
  }

  private problemWith(
    record: Record<string, string>,
    seen: Map<string, number>,
  ): string | undefined {
    if (!record.name) return 'name is missing';
    if (record.name.length > 80) return 'name is longer than 80 characters';
    if (!record.email || !isEmail(record.email))
      return `email "${record.email ?? ''}" is not an e-mail address`;
    const earlier = seen.get(record.email.toLowerCase());
    if (earlier) return `email ${record.email} already appears on line ${earlier}`;
    if (!parseProfession(record.profession ?? '')) {
      return `profession "${record.profession ?? ''}" is not one of ${Object.values(Profession).join(', ')}`;
    }
    try {
      this.outcodes.locatePostcode(record.postcode ?? '');
    } catch (error) {
      return (error as Error).message;
    }
    if (record.studyYear && !/^[1-8]$/.test(record.studyYear))
      return `study year "${record.studyYear}" is not 1–8`;
    return undefined;
  }
}

function canonicalColumn(header: string): string {
  const key = header.toLowerCase().replace(/[^a-z]/g, '');
  const column = (Object.keys(COLUMNS) as Column[]).find((c) =>
    (COLUMNS[c] as readonly string[]).includes(key),
  );
  return column ?? key;
}

function invitationEmail(member: CohortMember, link: string) {
  return {
    to: member.email,
    subject: 'Finish signing up to Health Futures',
    body:
      `Dear ${firstNameOf(member.name)},\n\n` +
      'Your coordinator has invited you to Health Futures, which matches health professionals ' +
      'with primary schools so that children aged 7 to 11 meet the people behind health careers.\n\n' +
      `Choose a password to finish signing up (the link works once):\n${link}\n\n` +
      'Then add when you are free and what you would like to do with pupils.\n',
  };
}
