import { HttpStatus, Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { DataSource, In } from 'typeorm';
import type { AuthUser } from '../auth/current-user.decorator';
import { domainErrors } from '../common/domain-error';
import { School } from '../schools/school.entity';
import { today } from '../volunteers/volunteers.service';
import { OUTREACH_ACTIVITIES, OutreachQueryDto, RecordOutreachDto } from './dto/outreach.dto';
import { OutreachRecord, OutreachSource } from './outreach-record.entity';
import { isIsoDate } from '../common/iso-date';

export enum OutreachErrorCode {
  NotFound = 'outreach_not_found',
  UnknownSchool = 'unknown_school',
  DateInFuture = 'date_in_future',
  InvalidFile = 'invalid_outreach_file',
}

export class OutreachError extends domainErrors<OutreachErrorCode>({
  [OutreachErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [OutreachErrorCode.UnknownSchool]: HttpStatus.BAD_REQUEST,
  [OutreachErrorCode.DateInFuture]: HttpStatus.BAD_REQUEST,
  [OutreachErrorCode.InvalidFile]: HttpStatus.BAD_REQUEST,
}) {}

const MAX_ROWS = 10_000;

/** Outreach that happened outside the service, recorded by coordinators. */
@Injectable()
export class OutreachService {
  constructor(private readonly dataSource: DataSource) {}

  async record(user: AuthUser, dto: RecordOutreachDto): Promise<OutreachRecord> {
    if (!(await this.dataSource.manager.existsBy(School, { urn: dto.urn }))) {
      throw new OutreachError(OutreachErrorCode.UnknownSchool, `No school has URN ${dto.urn}`, 'urn');
    }
    if (dto.date > today()) {
      throw new OutreachError(OutreachErrorCode.DateInFuture, 'date cannot be in the future', 'date');
    }
    return this.dataSource.manager.save(
      this.dataSource.manager.create(OutreachRecord, {
        schoolUrn: dto.urn,
        occurredOn: dto.date,
        pupilsReached: dto.pupilsReached,
        activity: dto.activity,
        source: OutreachSource.Manual,
        recordedBy: user.id,
      }),
    );
  }

  /** A CSV of outreach (urn, date, pupils_reached, activity): good rows kept, bad ones reported. */
  async import(user: AuthUser, csv: unknown) {
    if (typeof csv !== 'string' || csv.trim() === '') {
      throw new OutreachError(OutreachErrorCode.InvalidFile, 'Send the outreach as a CSV body with Content-Type: text/csv', 'body');
    }
    let rows: { record: Record<string, string>; info: { lines: number } }[];
    let header: string[] = [];
    try {
      rows = parse(csv.replace(/^\uFEFF/, ''), {
        columns: (names: string[]) => (header = names.map((n) => n.trim().toLowerCase().replace(/[^a-z]+/g, '_'))),
        info: true,
        skip_empty_lines: true,
        trim: true,
        relax_column_count: true,
      });
    } catch (error) {
      throw new OutreachError(OutreachErrorCode.InvalidFile, `The CSV cannot be read: ${(error as Error).message}`, 'body');
    }
    const missing = ['urn', 'date', 'pupils_reached', 'activity'].filter((c) => !header.includes(c));
    if (missing.length) {
      throw new OutreachError(OutreachErrorCode.InvalidFile, `The CSV needs the columns urn, date, pupils_reached, activity (missing: ${missing.join(', ')})`, 'body');
    }
    if (rows.length > MAX_ROWS) {
      throw new OutreachError(OutreachErrorCode.InvalidFile, `An outreach file may hold at most ${MAX_ROWS} rows`, 'body');
    }
    const urns = [...new Set(rows.map((r) => Number(r.record.urn)).filter((n) => Number.isInteger(n) && n > 0))];
    const known = new Set(
      (await this.dataSource.manager.find(School, { select: { urn: true }, where: { urn: In(urns) } })).map((s) => s.urn),
    );
    const rejected: { line: number; reason: string }[] = [];
    const good: Partial<OutreachRecord>[] = [];
    const until = today();
    for (const { record, info } of rows) {
      const reason = problemWith(record, known, until);
      if (reason) {
        rejected.push({ line: info.lines, reason });
        continue;
      }
      good.push({
        schoolUrn: Number(record.urn),
        occurredOn: record.date,
        pupilsReached: Number(record.pupils_reached),
        activity: record.activity,
        source: OutreachSource.Import,
        recordedBy: user.id,
      });
    }
    if (good.length) await this.dataSource.manager.insert(OutreachRecord, good);
    return { recorded: good.length, rejected };
  }

  async list(query: OutreachQueryDto) {
    const [items, total] = await this.dataSource.manager.findAndCount(OutreachRecord, {
      where: query.urn ? { schoolUrn: query.urn } : {},
      order: { occurredOn: 'DESC', id: 'ASC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  async remove(id: string): Promise<void> {
    const { affected } = await this.dataSource.manager.delete(OutreachRecord, { id });
    if (!affected) throw new OutreachError(OutreachErrorCode.NotFound, `No outreach record ${id}`, 'id');
  }
}

function problemWith(record: Record<string, string>, known: Set<number>, until: string): string | undefined {
  if (!/^\d{1,9}$/.test(record.urn ?? '')) return `urn "${record.urn ?? ''}" is not a URN`;
  if (!known.has(Number(record.urn))) return `no school has URN ${record.urn}`;
  if (!isIsoDate(record.date)) return `date "${record.date ?? ''}" is not written YYYY-MM-DD`;
  if (record.date > until) return `date ${record.date} is in the future`;
  if (!/^\d{1,4}$/.test(record.pupils_reached ?? '') || Number(record.pupils_reached) > 5000) {
    return `pupils_reached "${record.pupils_reached ?? ''}" is not a number from 0 to 5000`;
  }
  if (!(OUTREACH_ACTIVITIES as readonly string[]).includes(record.activity ?? '')) {
    return `activity "${record.activity ?? ''}" is not one of ${OUTREACH_ACTIVITIES.join(', ')}`;
  }
  return undefined;
}
