import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { geoArea } from 'd3-geo';
import type { Position } from 'geojson';
import { DATA_DIR } from '../common/paths';
import {
  AreaFeature,
  bandOf,
  choroplethSvg,
  COVERAGE_BANDS,
  ChoroplethOptions,
  MapArea,
  rewind,
} from './coverage-map';

function readFeatures(file: string): AreaFeature[] {
  return (JSON.parse(readFileSync(join(DATA_DIR, file), 'utf8')) as { features: AreaFeature[] })
    .features;
}

const regions = readFeatures('regions.geojson');
const localAuthorities = readFeatures('local-authorities.geojson');

const OPTIONS: ChoroplethOptions = {
  title: 'Coverage of high-need schools by region',
  valueLabel: 'of high-need schools reached',
  idPrefix: 'region-map',
};

/** Figures that run through every band, and some areas without one. */
function areasFor(features: AreaFeature[], base: string): Map<string, MapArea> {
  return new Map(
    features.map((feature, i) => {
      const { code, name = code } = feature.properties;
      const valuePct = i % 7 === 6 ? null : (i * 13.7) % 100;
      return [code, { code, name, valuePct, href: `${base}/${code}` }];
    }),
  );
}

function attributes(svg: string, element: string, attribute: string): string[] {
  const pattern = new RegExp(`<${element}\\b[^>]*?\\s${attribute}="([^"]*)"`, 'g');
  return [...svg.matchAll(pattern)].map((match) => match[1]);
}

function viewBox(svg: string): { width: number; height: number } {
  const [, , width, height] = attributes(svg, 'svg', 'viewBox')[0].split(' ').map(Number);
  return { width, height };
}

function boundsOf(d: string) {
  const numbers = (d.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
  const xs = numbers.filter((_, i) => i % 2 === 0);
  const ys = numbers.filter((_, i) => i % 2 === 1);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

function reverseRings(feature: AreaFeature): AreaFeature {
  const reverse = (rings: Position[][]) => rings.map((ring) => [...ring].reverse());
  const { geometry } = feature;
  return {
    ...feature,
    geometry:
      geometry.type === 'Polygon'
        ? { type: 'Polygon', coordinates: reverse(geometry.coordinates) }
        : { type: 'MultiPolygon', coordinates: geometry.coordinates.map(reverse) },
  };
}

function square(code: string, name: string, lon: number, lat: number): AreaFeature {
  return {
    type: 'Feature',
    properties: { code, name },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [lon, lat],
          [lon, lat + 1],
          [lon + 1, lat + 1],
          [lon + 1, lat],
          [lon, lat],
        ],
      ],
    },
  };
}

describe('bandOf', () => {
  it('puts each figure in the band that starts at or below it', () => {
    expect(bandOf(0).label).toBe('Under 20%');
    expect(bandOf(19.9).label).toBe('Under 20%');
    expect(bandOf(20).label).toBe('20% to under 40%');
    expect(bandOf(59.9).label).toBe('40% to under 60%');
    expect(bandOf(60).label).toBe('60% to under 80%');
    expect(bandOf(80).label).toBe('80% to 100%');
    expect(bandOf(100).label).toBe('80% to 100%');
  });

  it('bands a figure as it is shown, to one decimal place', () => {
    expect(bandOf(19.94).label).toBe('Under 20%');
    expect(bandOf(19.96).label).toBe('20% to under 40%');
  });

  it('has a band of its own for areas without a figure', () => {
    expect(bandOf(null)).toMatchObject({ label: 'No high-need schools', hatched: true });
    expect(bandOf(Number.NaN)).toBe(bandOf(null));
  });

  it('puts figures out of range in the end bands', () => {
    expect(bandOf(-1)).toBe(COVERAGE_BANDS[0]);
    expect(bandOf(120)).toBe(COVERAGE_BANDS[4]);
  });
});

describe('rewind', () => {
  it('leaves the shipped boundaries as they are: each already encloses its own area', () => {
    for (const feature of [...regions, ...localAuthorities]) {
      expect(geoArea(feature)).toBeLessThan(0.01);
      expect(rewind(feature)).toEqual(feature);
    }
  });

  it('turns anticlockwise (RFC 7946) rings round, holes included', () => {
    const withHoles = localAuthorities.filter((feature) =>
      feature.geometry.type === 'Polygon'
        ? feature.geometry.coordinates.length > 1
        : feature.geometry.coordinates.some((polygon) => polygon.length > 1),
    );
    expect(withHoles.length).toBeGreaterThan(0);
    for (const feature of [...regions, ...withHoles]) {
      const reversed = reverseRings(feature);
      expect(geoArea(reversed)).toBeGreaterThan(2 * Math.PI);
      expect(rewind(reversed)).toEqual(feature);
    }
  });
});

describe('choroplethSvg', () => {
  const regionAreas = areasFor(regions, '/coverage/regions');
  const regionMap = choroplethSvg(regions, regionAreas, OPTIONS);
  const laMap = choroplethSvg(localAuthorities, areasFor(localAuthorities, '/coverage/las'), {
    ...OPTIONS,
    title: 'Coverage of high-need schools by local authority',
    idPrefix: 'la-map',
  });

  it('links each of the 9 regions to its page', () => {
    expect(regionMap.svg.match(/<a /g)).toHaveLength(9);
    expect(attributes(regionMap.svg, 'a', 'href')).toEqual(
      regions.map((feature) => `/coverage/regions/${feature.properties.code}`),
    );
  });

  it('draws every region inside the drawing, none of them spread over the globe', () => {
    const { width, height } = viewBox(regionMap.svg);
    const paths = attributes(regionMap.svg, 'path', 'd');
    expect(paths).toHaveLength(9);
    const all = boundsOf(paths.join(' '));
    expect(all.x0).toBeGreaterThanOrEqual(0);
    expect(all.y0).toBeGreaterThanOrEqual(0);
    expect(all.x1).toBeLessThanOrEqual(width);
    expect(all.y1).toBeLessThanOrEqual(height);
    // England fills the drawing, up to the margin
    expect(all.x1 - all.x0).toBeGreaterThan(width - 10);
    expect(all.y1 - all.y0).toBeGreaterThan(height - 10);
    for (const d of paths) {
      expect(d).toMatch(/^M[-\d.,LMZ]+Z$/);
      const box = boundsOf(d);
      expect((box.x1 - box.x0) * (box.y1 - box.y0)).toBeLessThan(0.5 * width * height);
    }
  });

  it('draws boundaries in either winding order the same', () => {
    const reversed = choroplethSvg(regions.map(reverseRings), regionAreas, OPTIONS);
    expect(reversed.svg).toBe(regionMap.svg);
  });

  it('fits the drawing into a given size', () => {
    const map = choroplethSvg(regions, regionAreas, { ...OPTIONS, width: 400, height: 400 });
    expect(viewBox(map.svg)).toEqual({ width: 400, height: 400 });
    const all = boundsOf(attributes(map.svg, 'path', 'd').join(' '));
    expect(all.x0).toBeGreaterThanOrEqual(0);
    expect(all.x1).toBeLessThanOrEqual(400);
    expect(all.y1 - all.y0).toBeGreaterThan(390);
  });

  it('links each of the 153 local authorities and stays small', () => {
    expect(laMap.svg.match(/<a /g)).toHaveLength(153);
    const paths = attributes(laMap.svg, 'path', 'd');
    expect(paths).toHaveLength(153);
    expect(paths.every((d) => d.length > 0)).toBe(true);
    const { width, height } = viewBox(laMap.svg);
    for (const d of paths) {
      const box = boundsOf(d);
      expect(box.x0).toBeGreaterThanOrEqual(0);
      expect(box.y1).toBeLessThanOrEqual(height);
      expect((box.x1 - box.x0) * (box.y1 - box.y0)).toBeLessThan(0.5 * width * height);
    }
    expect(Buffer.byteLength(laMap.svg)).toBeLessThan(500_000);
    expect(Buffer.byteLength(regionMap.svg)).toBeLessThan(250_000);
  });

  it('names each link and gives it a tooltip with the figure', () => {
    const [first] = regions;
    const { code, name = code } = first.properties;
    const value = regionAreas.get(code)?.valuePct ?? 0;
    const label = `${name}: ${Number(value.toFixed(1))}% of high-need schools reached`;
    expect(regionMap.svg).toContain(
      `<a href="/coverage/regions/${code}" aria-label="${label}"><title>${label}</title><path `,
    );
    expect(attributes(regionMap.svg, 'a', 'aria-label')).toHaveLength(9);
    expect(regionMap.svg).toContain(': no high-need schools</title>');
  });

  it('fills areas by band, and hatches those without a figure', () => {
    const fills = attributes(regionMap.svg, 'path', 'fill');
    regions.forEach((feature, i) => {
      const band = bandOf(regionAreas.get(feature.properties.code)?.valuePct ?? null);
      expect(fills[i]).toBe(band.hatched ? 'url(#region-map-no-figure)' : band.colour);
    });
    expect(fills).toContain('url(#region-map-no-figure)');
    expect(regionMap.svg).toContain('<pattern id="region-map-no-figure"');
  });

  it('labels the drawing by its title', () => {
    expect(regionMap.svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 600 \d+" [^>]*role="group" aria-labelledby="region-map-title"><title id="region-map-title">Coverage of high-need schools by region<\/title>/,
    );
  });

  it('keeps ids apart between two maps on one page', () => {
    const ids = attributes(regionMap.svg + laMap.svg, '\\w+', 'id');
    expect(ids.length).toBeGreaterThan(2);
    expect(new Set(ids).size).toBe(ids.length);
    expect(() => choroplethSvg(regions, regionAreas, { ...OPTIONS, idPrefix: '1 map"' })).toThrow(
      /idPrefix/,
    );
  });

  it('escapes names, labels and links', () => {
    const feature = square('X1', 'A & B <x>', -1, 52);
    const map = choroplethSvg(
      [feature],
      new Map([['X1', { code: 'X1', name: 'A & B <x>', valuePct: 50, href: '/a?b=1&c="2"' }]]),
      { ...OPTIONS, title: 'Bristol, City of & "St Helens"', valueLabel: "<it's>" },
    );
    expect(map.svg).toContain('<title>A &amp; B &lt;x&gt;: 50% &lt;it&#39;s&gt;</title>');
    expect(map.svg).toContain('aria-label="A &amp; B &lt;x&gt;: 50% &lt;it&#39;s&gt;"');
    expect(map.svg).toContain('href="/a?b=1&amp;c=&quot;2&quot;"');
    expect(map.svg).toContain('>Bristol, City of &amp; &quot;St Helens&quot;</title>');
    expect(map.svg).not.toContain('A & B');
  });

  it('takes a given label for a link', () => {
    const map = choroplethSvg(
      [square('X1', 'Somewhere', -1, 52)],
      new Map([['X1', { code: 'X1', name: 'Somewhere', valuePct: 5, href: '/x', label: 'See X' }]]),
      OPTIONS,
    );
    expect(map.svg).toContain('aria-label="See X"><title>See X</title>');
  });

  it('draws areas without an entry, unlinked', () => {
    const map = choroplethSvg(
      [square('X1', 'Linked', -2, 52), square('X2', 'Unlisted', -1, 52)],
      new Map([['X1', { code: 'X1', name: 'Linked', valuePct: 90, href: '/x1' }]]),
      OPTIONS,
    );
    expect(map.svg.match(/<a /g)).toHaveLength(1);
    expect(attributes(map.svg, 'path', 'd')).toHaveLength(2);
    expect(map.svg).toContain('<title>Unlisted: no high-need schools</title></path>');
  });

  it('returns a legend with every band, the one without a figure last', () => {
    expect(regionMap.legend).toEqual([
      { label: 'Under 20%', colour: '#e8f1f8', hatched: false },
      { label: '20% to under 40%', colour: '#aecce6', hatched: false },
      { label: '40% to under 60%', colour: '#6ba3d6', hatched: false },
      { label: '60% to under 80%', colour: '#2f79c0', hatched: false },
      { label: '80% to 100%', colour: '#003087', hatched: false },
      { label: 'No high-need schools', colour: '#d8dde0', hatched: true },
    ]);
    expect(regionMap.legend.map((entry) => entry.label)).toEqual(
      COVERAGE_BANDS.map((band) => band.label),
    );
  });
});
