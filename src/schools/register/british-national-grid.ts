import proj4 from 'proj4';

/**
 * OSGB36 British National Grid (EPSG:27700) with the Ordnance Survey's 7-parameter Helmert
 * transformation to WGS84, accurate to a few metres.
 */
const BNG =
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ' +
  '+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs';

const toWgs84 = proj4(BNG, 'WGS84');

/** Converts a National Grid easting/northing (metres) to WGS84 latitude/longitude (degrees). */
export function gridToLatLng(
  easting: number,
  northing: number,
): { latitude: number; longitude: number } {
  const [longitude, latitude] = toWgs84.forward([easting, northing]);
  return { latitude: round6(latitude), longitude: round6(longitude) };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
