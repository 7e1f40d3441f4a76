import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { AuthUser } from '../auth/current-user.decorator';
import { OutcodeDirectory } from '../postcodes/outcode-directory';
import { CreateVolunteerDto, UpdateVolunteerDto } from './dto/volunteer-profile.dto';
import { VolunteerDto } from './dto/volunteer.dto';
import { applyProfileChanges } from './volunteer-changes';
import { VolunteerCheck } from './volunteer-check.entity';
import { VolunteerUnavailability } from './volunteer-unavailability.entity';
import { Volunteer } from './volunteer.entity';
import { VolunteerStatus } from './volunteer.enums';
import { volunteerView } from './volunteer.views';
import { VolunteerError, VolunteerErrorCode } from './volunteers.errors';

/** A volunteer's own profile: sign-up, edits, availability, pause and resume. */
@Injectable()
export class VolunteersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outcodes: OutcodeDirectory,
  ) {}

  create(user: AuthUser, dto: CreateVolunteerDto): Promise<VolunteerDto> {
    const location = this.outcodes.locatePostcode(dto.postcode);
    return this.dataSource.transaction(async (manager) => {
      if (await manager.existsBy(Volunteer, { userId: user.id })) {
        throw new VolunteerError(
          VolunteerErrorCode.ProfileExists,
          'This account already has a volunteer profile: change it with PATCH /volunteers/me',
        );
      }
      const volunteer = manager.create(Volunteer, {
        userId: user.id,
        status: VolunteerStatus.Pending,
      });
      applyProfileChanges(volunteer, dto, location, today());
      await manager.save(volunteer);
      await this.replaceDatesAndChecks(manager, volunteer.id, dto);
      return volunteerView(manager, await manager.findOneByOrFail(Volunteer, { id: volunteer.id }));
    });
  }

  async getMine(user: AuthUser): Promise<VolunteerDto> {
    const volunteer = await this.mine(this.dataSource.manager, user);
    return volunteerView(this.dataSource.manager, volunteer);
  }

  update(user: AuthUser, dto: UpdateVolunteerDto): Promise<VolunteerDto> {
    const location =
      dto.postcode === undefined ? undefined : this.outcodes.locatePostcode(dto.postcode);
    return this.dataSource.transaction(async (manager) => {
      const volunteer = await this.mine(manager, user, true);
      applyProfileChanges(volunteer, dto, location, today());
      // A rejected volunteer who mends their profile goes back to the review queue.
      if (volunteer.status === VolunteerStatus.Rejected) volunteer.status = VolunteerStatus.Pending;
      await manager.save(volunteer);
      await this.replaceDatesAndChecks(manager, volunteer.id, dto);
      return volunteerView(manager, await manager.findOneByOrFail(Volunteer, { id: volunteer.id }));
    });
  }

  /** A paused volunteer is never offered to schools until they resume. */
  setPaused(user: AuthUser, paused: boolean): Promise<VolunteerDto> {
    return this.dataSource.transaction(async (manager) => {
      const volunteer = await this.mine(manager, user, true);
      if (paused !== (volunteer.pausedAt !== null)) {
        volunteer.pausedAt = paused ? new Date() : null;
        await manager.save(volunteer);
      }
      return volunteerView(manager, volunteer);
    });
  }

  async mine(manager: EntityManager, user: AuthUser, forUpdate = false): Promise<Volunteer> {
    const volunteer = await manager.findOne(Volunteer, {
      where: { userId: user.id, erasedAt: IsNull() },
      lock: forUpdate ? { mode: 'pessimistic_write' } : undefined,
    });
    if (!volunteer) {
      throw new VolunteerError(
        VolunteerErrorCode.ProfileMissing,
        'This account has no volunteer profile yet: create it with POST /volunteers',
      );
    }
    return volunteer;
  }

  private async replaceDatesAndChecks(
    manager: EntityManager,
    volunteerId: string,
    dto: CreateVolunteerDto | UpdateVolunteerDto,
  ) {
    const ranges = dto.availability?.unavailable;
    if (ranges !== undefined) {
      await manager.delete(VolunteerUnavailability, { volunteerId });
      if (ranges.length) {
        await manager.insert(
          VolunteerUnavailability,
          ranges.map((r) => ({ volunteerId, startsOn: r.from, endsOn: r.to })),
        );
      }
    }
    if (dto.checks !== undefined) {
      await manager.delete(VolunteerCheck, { volunteerId });
      if (dto.checks.length) {
        await manager.insert(
          VolunteerCheck,
          dto.checks.map((c) => ({
            volunteerId,
            type: c.type,
            completedOn: c.date,
            consent: c.consent,
          })),
        );
      }
    }
  }
}

/** Today's date in England, where the service's calendar lives. */
export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
}
