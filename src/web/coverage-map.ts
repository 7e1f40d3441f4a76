import { geoArea, geoPath, geoTransverseMercator, GeoStream } from 'd3-geo';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

/** A boundary from the shipped files (`data/*.geojson`): WGS84 longitude/latitude. */
export type AreaFeature = Feature<Polygon | MultiPolygon, { code: string; name?: string }>;

/** What to show for one area of the map, looked up by the feature's `code`. */
export interface MapArea {
  code: string;
  name: string;
  /** Percentage from 0 to 100, or null when there is no figure (no high-need schools). */
  valuePct: number | null;
  href: string;
  /** Accessible name of the link; by default the name and the figure. */
  label?: string;
}

export interface ChoroplethOptions {
  title: string;
  /** Words after the percentage, e.g. "of high-need schools reached". */
  valueLabel: string;
  /** Prefix of every id in the drawing, so that two maps can share a page. */
  idPrefix: string;
  width?: number;
  /** By default the height that fits England at the given width. */
  height?: number;
}

export interface CoverageBand {
  key: string;
  label: string;
  colour: string;
  /** Inclusive lower bound; null for the band of areas without a figure. */
  min: number | null;
  /** Exclusive upper bound, except 100 which belongs to the top band. */
  max: number | null;
  /** Drawn with diagonal lines over the colour, so it does not depend on colour alone. */
  hatched: boolean;
  stroke: string;
}

export type LegendEntry = Pick<CoverageBand, 'label' | 'colour' | 'hatched'>;

export interface Choropleth {
  svg: string;
  legend: LegendEntry[];
  width: number;
  height: number;
}

const DARK_STROKE = '#212b32';
const LIGHT_STROKE = '#ffffff';
const HATCH = '#aeb7bd';

// Each area is outlined dark on the light fills and white on the dark ones: no single stroke
// colour reaches 3:1 contrast against every fill of the palette, these reach 4.5:1 or more.
export const COVERAGE_BANDS: readonly CoverageBand[] = [
  band('0-20', 'Under 20%', '#e8f1f8', 0, 20, DARK_STROKE),
  band('20-40', '20% to under 40%', '#aecce6', 20, 40, DARK_STROKE),
  band('40-60', '40% to under 60%', '#6ba3d6', 40, 60, DARK_STROKE),
  band('60-80', '60% to under 80%', '#2f79c0', 60, 80, LIGHT_STROKE),
  band('80-100', '80% to 100%', '#003087', 80, 100, LIGHT_STROKE),
  { ...band('none', 'No high-need schools', '#d8dde0', null, null, DARK_STROKE), hatched: true },
];

function band(
  key: string,
  label: string,
  colour: string,
  min: number | null,
  max: number | null,
  stroke: string,
): CoverageBand {
  return { key, label, colour, min, max, hatched: false, stroke };
}

const NO_FIGURE = COVERAGE_BANDS[COVERAGE_BANDS.length - 1];

/**
 * Figures are shown to one decimal place, so they are banded as shown: 19.96 reads "20%" and
 * falls in the 20% band. Out-of-range figures go to the nearest end band.
 */
export function bandOf(valuePct: number | null): CoverageBand {
  if (valuePct === null || !Number.isFinite(valuePct)) return NO_FIGURE;
  const shown = roundPct(valuePct);
  const valued = COVERAGE_BANDS.filter((b) => b.min !== null);
  return valued.find((b) => shown < (b.max ?? 0)) ?? valued[valued.length - 1];
}

function roundPct(valuePct: number): number {
  return Number(valuePct.toFixed(1));
}

function formatPct(valuePct: number): string {
  return `${roundPct(valuePct)}%`;
}

/** The text of an area's tooltip and link, e.g. "Hartlepool: 42.1% of high-need schools reached". */
export function areaLabel(area: Pick<MapArea, 'name' | 'valuePct'>, valueLabel: string): string {
  if (area.valuePct === null || !Number.isFinite(area.valuePct)) {
    return `${area.name}: ${NO_FIGURE.label.toLowerCase()}`;
  }
  return `${area.name}: ${formatPct(area.valuePct)} ${valueLabel}`;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * A choropleth map of the given areas as an SVG string, for inlining in a page. Each area is a
 * link with a tooltip and an accessible name; the legend comes back as data for an HTML key.
 */
export function choroplethSvg(
  features: readonly AreaFeature[],
  areas: ReadonlyMap<string, MapArea>,
  options: ChoroplethOptions,
): Choropleth {
  if (!/^[A-Za-z][\w-]*$/.test(options.idPrefix)) {
    throw new Error(`idPrefix must be a letter then letters, digits, - or _: ${options.idPrefix}`);
  }
  if (features.length === 0) throw new Error('a map needs at least one feature');

  const width = options.width ?? 600;
  const margin = 4;
  const collection: FeatureCollection<Polygon | MultiPolygon> = {
    type: 'FeatureCollection',
    features: features.map(rewind),
  };
  // Transverse Mercator on 2°W, as on Ordnance Survey maps of Great Britain.
  const projection = geoTransverseMercator().rotate([2, 0]);
  let height = options.height;
  if (height === undefined) {
    projection.fitWidth(width - 2 * margin, collection);
    const [[, top], [, bottom]] = geoPath(projection).bounds(collection);
    height = Math.ceil(bottom - top) + 2 * margin;
    const [x, y] = projection.translate();
    projection.translate([x + margin, y + margin - top]);
  } else {
    projection.fitExtent(
      [
        [margin, margin],
        [width - margin, height - margin],
      ],
      collection,
    );
  }
  const path = geoPath({ stream: (out) => projection.stream(dropRepeatedPoints(out)) }).digits(1);

  const hatchId = `${options.idPrefix}-no-figure`;
  const titleId = `${options.idPrefix}-title`;
  const links = collection.features.map((feature, i) => {
    const code = features[i].properties.code;
    const area = areas.get(code);
    const d = path(feature) ?? '';
    if (!area) {
      const name = features[i].properties.name ?? code;
      return `<path d="${d}" fill="url(#${hatchId})" stroke="${NO_FIGURE.stroke}"${STROKE}><title>${escapeXml(areaLabel({ name, valuePct: null }, ''))}</title></path>`;
    }
    const bandOfArea = bandOf(area.valuePct);
    const fill = bandOfArea.hatched ? `url(#${hatchId})` : bandOfArea.colour;
    const label = escapeXml(area.label ?? areaLabel(area, options.valueLabel));
    return (
      `<a href="${escapeXml(area.href)}" aria-label="${label}">` +
      `<title>${label}</title>` +
      `<path d="${d}" fill="${fill}" stroke="${bandOfArea.stroke}"${STROKE}/></a>`
    );
  });

  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" ` +
    `class="coverage-map" role="group" aria-labelledby="${titleId}">` +
    `<title id="${titleId}">${escapeXml(options.title)}</title>` +
    `<defs><pattern id="${hatchId}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="${NO_FIGURE.colour}"/>` +
    `<line x1="0" y1="0" x2="0" y2="6" stroke="${HATCH}" stroke-width="2"/></pattern></defs>` +
    links.join('') +
    `</svg>`;

  return {
    svg,
    legend: COVERAGE_BANDS.map(({ label, colour, hatched }) => ({ label, colour, hatched })),
    width,
    height,
  };
}

const STROKE = ' stroke-width="0.75" stroke-linejoin="round" vector-effect="non-scaling-stroke"';

/**
 * d3 takes the smaller side of a ring on the sphere as its inside when the ring runs clockwise;
 * RFC 7946 files run exterior rings anticlockwise, which d3 reads as the whole globe except the
 * area. Each exterior ring is turned to enclose the smaller side and each hole the larger.
 */
export function rewind(feature: AreaFeature): AreaFeature {
  const { geometry } = feature;
  const rewound: Polygon | MultiPolygon =
    geometry.type === 'Polygon'
      ? { type: 'Polygon', coordinates: rewindPolygon(geometry.coordinates) }
      : { type: 'MultiPolygon', coordinates: geometry.coordinates.map(rewindPolygon) };
  return { ...feature, geometry: rewound };
}

function rewindPolygon(rings: Position[][]): Position[][] {
  return rings.map((ring, i) => {
    const enclosesLargerSide = geoArea({ type: 'Polygon', coordinates: [ring] }) > 2 * Math.PI;
    return enclosesLargerSide === (i === 0) ? [...ring].reverse() : ring;
  });
}

/**
 * Rounds projected points to a tenth and leaves out those that repeat the point before, which
 * keeps the drawing small. Neighbouring areas share their boundary points, so they lose the same
 * ones and no gaps open between them. Rings left with fewer than three points are dropped.
 */
function dropRepeatedPoints(out: GeoStream): GeoStream {
  let line: [number, number][] | null = null;
  let inPolygon = false;
  return {
    point(x, y) {
      const point: [number, number] = [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
      if (!line) return out.point(point[0], point[1]);
      const last = line[line.length - 1];
      if (!last || last[0] !== point[0] || last[1] !== point[1]) line.push(point);
    },
    lineStart() {
      line = [];
    },
    lineEnd() {
      const points = line ?? [];
      line = null;
      const [first, last] = [points[0], points[points.length - 1]];
      if (inPolygon && points.length > 1 && first[0] === last[0] && first[1] === last[1]) {
        points.pop();
      }
      if (points.length < (inPolygon ? 3 : 2)) return;
      out.lineStart();
      for (const [x, y] of points) out.point(x, y);
      out.lineEnd();
    },
    polygonStart() {
      inPolygon = true;
      out.polygonStart();
    },
    polygonEnd() {
      inPolygon = false;
      out.polygonEnd();
    },
    sphere() {
      out.sphere?.();
    },
  };
}
