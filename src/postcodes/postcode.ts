/** A UK postcode as typed by a person: a full postcode ("M13 9PL") or a district ("M13"). */
export interface ParsedPostcode {
  outcode: string;
  /** The normalised full postcode, when an inward code was given. */
  postcode?: string;
}

const OUTCODE = '(?:[A-Z]{1,2}[0-9][0-9A-Z]?)';
const FULL = new RegExp(`^(${OUTCODE})\\s*([0-9][A-Z]{2})$`);
const DISTRICT = new RegExp(`^(${OUTCODE})$`);

/** Parses a UK postcode or outcode, ignoring case and spacing; undefined when malformed. */
export function parsePostcode(input: string): ParsedPostcode | undefined {
  const compact = input.toUpperCase().replace(/\s+/g, ' ').trim();
  const full = FULL.exec(compact);
  if (full) return { outcode: full[1], postcode: `${full[1]} ${full[2]}` };
  const district = DISTRICT.exec(compact);
  return district ? { outcode: district[1] } : undefined;
}
