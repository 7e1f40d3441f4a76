import { visitCalendar, VisitCalendarEvent } from './ics';

/** Content lines with RFC 5545 folding undone. */
function lines(ics: string): string[] {
  return ics
    .replace(/\r\n[ \t]/g, '')
    .replace(/\r\n$/, '')
    .split('\r\n');
}

function value(ics: string, name: string): string[] {
  return lines(ics).filter((line) => line.startsWith(`${name}:`) || line.startsWith(`${name};`));
}

const visit: VisitCalendarEvent = {
  uid: 'visit-42',
  startsAt: new Date('2026-11-24T09:30:00Z'),
  endsAt: new Date('2026-11-24T11:00:00Z'),
  summary: 'Careers visit: nursing, Year 5',
  description: 'Meet at reception.\nBring your badge; the hall is booked.',
  location: 'Oakfield Primary School, Stafford ST16 1AA',
  organizer: { name: 'Health Futures', email: 'visits@healthfutures.example' },
  attendees: [
    { name: 'Asha Patel', email: 'asha.patel@nhs.example' },
    { name: 'Mr Jones', email: 'office@oakfield.example' },
  ],
};

describe('visitCalendar', () => {
  const ics = visitCalendar(visit);

  it('is one VCALENDAR with one VEVENT, in CRLF lines', () => {
    const all = lines(ics);
    expect(all[0]).toBe('BEGIN:VCALENDAR');
    expect(all[all.length - 1]).toBe('END:VCALENDAR');
    expect(all).toContain('VERSION:2.0');
    expect(all.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(all.filter((line) => line === 'END:VEVENT')).toHaveLength(1);
    expect(ics).not.toMatch(/[^\r]\n/);
  });

  it('folds long lines to at most 75 octets', () => {
    for (const line of ics.split('\r\n')) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    }
  });

  it('is a REQUEST with a stable UID and sequence 0', () => {
    expect(lines(ics)).toEqual(
      expect.arrayContaining([
        'METHOD:REQUEST',
        'UID:visit-42@health-futures',
        'SEQUENCE:0',
        'STATUS:CONFIRMED',
      ]),
    );
    expect(value(visitCalendar(visit), 'UID')).toEqual(['UID:visit-42@health-futures']);
  });

  it('writes times in UTC', () => {
    expect(value(ics, 'DTSTART')).toEqual(['DTSTART:20261124T093000Z']);
    expect(value(ics, 'DTEND')).toEqual(['DTEND:20261124T110000Z']);
    expect(value(ics, 'DTSTAMP')[0]).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
    expect(ics).not.toContain('TZID');
  });

  it('writes summer times in UTC too', () => {
    const summer = visitCalendar({
      ...visit,
      startsAt: new Date('2027-06-15T13:00:00+01:00'),
      endsAt: new Date('2027-06-15T14:00:00+01:00'),
    });
    expect(value(summer, 'DTSTART')).toEqual(['DTSTART:20270615T120000Z']);
  });

  it('escapes text', () => {
    expect(value(ics, 'SUMMARY')).toEqual(['SUMMARY:Careers visit: nursing\\, Year 5']);
    expect(value(ics, 'DESCRIPTION')).toEqual([
      'DESCRIPTION:Meet at reception.\\nBring your badge\\; the hall is booked.',
    ]);
    expect(value(ics, 'LOCATION')).toEqual([
      'LOCATION:Oakfield Primary School\\, Stafford ST16 1AA',
    ]);
  });

  it('names the organizer and asks each attendee to reply', () => {
    expect(value(ics, 'ORGANIZER')).toEqual([
      'ORGANIZER;CN="Health Futures":mailto:visits@healthfutures.example',
    ]);
    const attendees = value(ics, 'ATTENDEE');
    expect(attendees).toHaveLength(2);
    expect(attendees[0]).toContain('CN="Asha Patel"');
    expect(attendees[0]).toContain('RSVP=TRUE');
    expect(attendees[0]).toContain('PARTSTAT=NEEDS-ACTION');
    expect(attendees[0]).toMatch(/:mailto:asha\.patel@nhs\.example$/i);
  });

  it('leaves out what it is not given', () => {
    const bare = visitCalendar({
      uid: 'visit-7',
      startsAt: visit.startsAt,
      endsAt: visit.endsAt,
      summary: 'Visit',
      description: 'Details',
    });
    expect(value(bare, 'LOCATION')).toEqual([]);
    expect(value(bare, 'ORGANIZER')).toEqual([]);
    expect(value(bare, 'ATTENDEE')).toEqual([]);
  });

  it('cancels with METHOD:CANCEL, the same UID and a higher sequence', () => {
    const cancel = visitCalendar({ ...visit, cancelled: true });
    expect(lines(cancel)).toEqual(
      expect.arrayContaining([
        'METHOD:CANCEL',
        'UID:visit-42@health-futures',
        'SEQUENCE:1',
        'STATUS:CANCELLED',
      ]),
    );
    expect(value(cancel, 'ATTENDEE')).toHaveLength(2);
    expect(value(cancel, 'ATTENDEE')[0]).not.toContain('RSVP=TRUE');
  });

  it('cancels after updates with a sequence above the last one sent', () => {
    const update = visitCalendar({ ...visit, sequence: 2 });
    const cancel = visitCalendar({ ...visit, sequence: 2, cancelled: true });
    expect(value(update, 'SEQUENCE')).toEqual(['SEQUENCE:2']);
    expect(value(cancel, 'SEQUENCE')).toEqual(['SEQUENCE:3']);
  });

  it('rejects a visit that does not end after it starts, and a bad sequence', () => {
    expect(() => visitCalendar({ ...visit, endsAt: visit.startsAt })).toThrow(RangeError);
    expect(() => visitCalendar({ ...visit, sequence: -1 })).toThrow(RangeError);
  });
});
