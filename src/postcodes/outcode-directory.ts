import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { DATA_DIR } from '../common/paths';

export interface OutcodeCentroid {
  outcode: string;
  latitude: number;
  longitude: number;
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
    const records = parse(readFileSync(file), { columns: true, skip_empty_lines: true }) as Record<
      string,
      string
    >[];
    return new Map(
      records.map((r) => [
        r.outcode,
        { outcode: r.outcode, latitude: Number(r.latitude), longitude: Number(r.longitude) },
      ]),
    );
  }

  locate(outcode: string): OutcodeCentroid | undefined {
    return this.centroids.get(outcode.toUpperCase());
  }
}
