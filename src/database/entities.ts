import { AuditEvent } from '../audit/audit-event.entity';
import { AccountSetupToken } from '../auth/account-setup-token.entity';
import { OutreachRecord } from '../coverage/outreach-record.entity';
import { LoginFailure } from '../auth/login-failure.entity';
import { RefreshToken } from '../auth/refresh-token.entity';
import { Invitation } from '../invitations/invitation.entity';
import { OutboxMessage } from '../mail/outbox-message.entity';
import { SchoolMembership } from '../memberships/school-membership.entity';
import { RequestSlot } from '../requests/request-slot.entity';
import { VisitRequest } from '../requests/visit-request.entity';
import { School } from '../schools/school.entity';
import { User } from '../users/user.entity';
import { VisitFeedback } from '../visits/visit-feedback.entity';
import { Visit } from '../visits/visit.entity';
import { VolunteerCheck } from '../volunteers/volunteer-check.entity';
import { VolunteerUnavailability } from '../volunteers/volunteer-unavailability.entity';
import { Volunteer } from '../volunteers/volunteer.entity';

export const ENTITIES = [
  School,
  User,
  RefreshToken,
  LoginFailure,
  AccountSetupToken,
  Volunteer,
  VolunteerUnavailability,
  VolunteerCheck,
  Visit,
  AuditEvent,
  OutboxMessage,
  SchoolMembership,
  VisitRequest,
  RequestSlot,
  Invitation,
  VisitFeedback,
  OutreachRecord,
];
