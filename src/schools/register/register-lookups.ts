import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from '../../common/paths';
import { OutcodeDirectory } from '../../postcodes/outcode-directory';
import { RegisterLookups } from './register-record';

interface Feature<P> {
  properties: P;
}

function readFeatures<P>(file: string): P[] {
  const collection = JSON.parse(readFileSync(join(DATA_DIR, file), 'utf8')) as {
    features: Feature<P>[];
  };
  return collection.features.map((feature) => feature.properties);
}

/** Lookups from the shipped boundary files: DfE LA code → ONS codes and region; region names. */
export function registerLookups(outcodes: OutcodeDirectory): RegisterLookups {
  const las = new Map(
    readFeatures<{ code: string; la_code: string; region_code: string; region: string }>(
      'local-authorities.geojson',
    ).map((la) => [
      la.la_code,
      { gssCode: la.code, regionCode: la.region_code, region: la.region },
    ]),
  );
  const regions = new Map(
    readFeatures<{ code: string; name: string }>('regions.geojson').map((r) => [
      r.name.toLowerCase(),
      r.code,
    ]),
  );
  return {
    localAuthority: (laCode) => las.get(laCode),
    regionCode: (region) => regions.get(region.toLowerCase()),
    outcodeCentroid: (outcode) => outcodes.locate(outcode),
  };
}
