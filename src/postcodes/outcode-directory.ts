import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { DATA_DIR } from '../common/paths';
import { parsePostcode } from './postcode';
import { PostcodeError, PostcodeErrorCode } from './postcode-error';

export interface OutcodeCentroid {
  outcode: string;
  latitude: number;
  longitude: number;
  /** English region of the district; null in Scotland and Wales. */
  region: string | null;
  /** ONS code of the district's (most common) education LA; null outside England. */
  laGssCode: string | null;
}

export interface LocatedPostcode extends OutcodeCentroid {
  /** The normalised full postcode, or the district when only that was given. */
  postcode: string;
}

export const OUTCODES_FILE = join(DATA_DIR, 'outcodes.csv');

/** Centroids of the postcode districts of Great Britain (Code-Point Open), shipped in `data/`. */
@Injectable()
export class OutcodeDirectory {
  private readonly centroids: Map<string, OutcodeCentroid>;

  constructor() {
    this.centroids = OutcodeDirectory.load(OUTCODES_FILE);
  }

  static load(file: string): Map<string, OutcodeCentroid> {
    const records = parse(readFileSync(file), {
      columns: true,
      skip_empty_lines: true,
    }) as Record<string, string>[];
    return new Map(
      records.map((r) => [
        r.outcode,
        {
          outcode: r.outcode,
          latitude: Number(r.latitude),
          longitude: Number(r.longitude),
          region: r.region || null,
          laGssCode: r.la_gss_code || null,
        },
      ]),
    );
  }

  locate(outcode: string): OutcodeCentroid | undefined {
    return this.centroids.get(outcode.toUpperCase());
  }

  /**
   * Places a postcode or postcode district at its district's centroid; a 400 naming `field`
   * when it is not a UK postcode or its district is unknown.
   */
  locatePostcode(input: string, field = 'postcode'): LocatedPostcode {
    const parsed = parsePostcode(input);
    if (!parsed) {
      throw new PostcodeError(
        PostcodeErrorCode.InvalidPostcode,
        `${field} "${input}" is not a UK postcode or postcode district`,
        field,
      );
    }
    const centroid = this.locate(parsed.outcode);
    if (!centroid) {
      throw new PostcodeError(
        PostcodeErrorCode.UnknownOutcode,
        `postcode district ${parsed.outcode} is not known`,
        field,
      );
    }
    return { ...centroid, postcode: parsed.postcode ?? parsed.outcode };
  }
}
