import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
} from 'ical-generator';

export interface CalendarPerson {
  name: string;
  email: string;
}

export interface VisitCalendarEvent {
  /** The visit's own id; the calendar UID is `${uid}@health-futures`. */
  uid: string;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  description: string;
  location?: string;
  organizer?: CalendarPerson;
  attendees?: CalendarPerson[];
  cancelled?: boolean;
  /**
   * Revision of the invitation already sent (0 for the first). Calendar clients apply an update
   * only when its SEQUENCE is higher, so a cancellation goes out as `sequence + 1`.
   */
  sequence?: number;
}

/**
 * An iCalendar (RFC 5545) file with one VEVENT for a visit, as an iTIP REQUEST, or a CANCEL
 * when the visit is cancelled. Times are written in UTC.
 */
export function visitCalendar(event: VisitCalendarEvent): string {
  if (!(event.endsAt.getTime() > event.startsAt.getTime())) {
    throw new RangeError('a visit must end after it starts');
  }
  const sequence = event.sequence ?? 0;
  if (!Number.isInteger(sequence) || sequence < 0) {
    throw new RangeError(`sequence must be a whole number, 0 or more, not ${sequence}`);
  }
  const cancelled = event.cancelled ?? false;
  const calendar = ical({
    prodId: { company: 'Health Futures', product: 'Visits', language: 'EN' },
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: `${event.uid}@health-futures`,
    sequence: cancelled ? sequence + 1 : sequence,
    start: event.startsAt,
    end: event.endsAt,
    summary: event.summary,
    description: event.description,
    location: event.location ?? null,
    organizer: event.organizer ?? null,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    attendees: (event.attendees ?? []).map((person) => ({
      name: person.name,
      email: person.email,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: !cancelled,
    })),
  });
  return calendar.toString();
}
