import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/current-user.decorator';
import { AuditDetails, AuditEvent } from './audit-event.entity';

export enum AuditAction {
  VolunteerRead = 'volunteer.read',
  VolunteerListed = 'volunteer.listed',
  VolunteerApproved = 'volunteer.approved',
  VolunteerRejected = 'volunteer.rejected',
  VolunteerInvited = 'volunteer.invited',
  VolunteerErased = 'volunteer.erased',
}

/** Writes audit events in the caller's transaction, one row per subject. */
@Injectable()
export class AuditService {
  async record(
    manager: EntityManager,
    actor: AuthUser | null,
    action: AuditAction,
    subjectType: string,
    subjectIds: string[],
    details: AuditDetails = {},
  ): Promise<void> {
    if (subjectIds.length === 0) return;
    await manager.insert(
      AuditEvent,
      subjectIds.map((subjectId) => ({
        actorId: actor?.id ?? null,
        actorRole: actor?.role ?? null,
        action,
        subjectType,
        subjectId,
        details,
      })),
    );
  }
}
