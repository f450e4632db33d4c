import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  householdsFromPopulation,
  MAX_BOUNDARY_VERTICES,
  normalizeBoundary,
  validateBoundary,
  validateMunicipality,
} from './tenancy.rules.js';
import type { MunicipalityInput } from './tenancy.types.js';

const valid: MunicipalityInput = {
  slug: 'hamont-achel',
  nisCode: '72037',
  names: { nl: 'Hamont-Achel', fr: 'Hamont-Achel', de: 'Hamont-Achel', en: 'Hamont-Achel' },
  defaultLocale: 'nl',
  registeredHouseholds: 6217,
  pointValueCents: 1,
};

const square = (lon: number, lat: number, size: number): [number, number][] => [
  [lon, lat],
  [lon + size, lat],
  [lon + size, lat + size],
  [lon, lat + size],
  [lon, lat],
];

describe('validateMunicipality', () => {
  it('accepts a complete municipality', () => {
    expect(validateMunicipality(valid)).toEqual([]);
  });

  it('lists every bad field at once', () => {
    const errors = validateMunicipality({
      ...valid,
      slug: 'Hamont Achel',
      nisCode: '7203',
      names: { ...valid.names, fr: '  ' },
      defaultLocale: 'es' as never,
      registeredHouseholds: -1,
      pointValueCents: 0.5,
    });
    expect(errors.map((e) => e.field)).toEqual([
      'slug',
      'names.fr',
      'nisCode',
      'defaultLocale',
      'registeredHouseholds',
      'pointValueCents',
    ]);
  });

  it('accepts exactly the slugs made of lowercase words joined by single hyphens', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 5 }),
        (words) => {
          const slug = words.join('-');
          const ok = slug.length >= 2 && slug.length <= 63;
          expect(validateMunicipality({ ...valid, slug }).length === 0).toBe(ok);
        },
      ),
    );
    for (const slug of ['-pelt', 'pelt-', 'pe--lt', 'Pelt', 'pélt', 'p', 'a'.repeat(64)]) {
      expect(validateMunicipality({ ...valid, slug }).map((e) => e.field)).toEqual(['slug']);
    }
  });
});

describe('validateBoundary', () => {
  it('accepts closed polygons and multipolygons anywhere on Earth', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -179, max: 178, noNaN: true }),
        fc.double({ min: -89, max: 88, noNaN: true }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        (lon, lat, size) => {
          expect(
            validateBoundary({ type: 'Polygon', coordinates: [square(lon, lat, size)] }),
          ).toEqual([]);
          expect(
            validateBoundary({ type: 'MultiPolygon', coordinates: [[square(lon, lat, size)]] }),
          ).toEqual([]);
        },
      ),
    );
  });

  it('rejects open rings, short rings, bad positions and other geometry types', () => {
    const open = square(5, 51, 0.1).slice(0, 4);
    const cases: unknown[] = [
      null,
      'Polygon',
      { type: 'Point', coordinates: [5, 51] },
      { type: 'Polygon', coordinates: [open] },
      {
        type: 'Polygon',
        coordinates: [
          [
            [5, 51],
            [5.1, 51],
            [5, 51],
          ],
        ],
      },
      { type: 'Polygon', coordinates: [] },
      {
        type: 'Polygon',
        coordinates: [
          [
            [5, 51],
            [5.1, 51],
            [5.1, 91],
            [5, 51],
          ],
        ],
      },
      {
        type: 'Polygon',
        coordinates: [
          [
            [5, 51],
            ['5.1', 51],
            [5.1, 51.1],
            [5, 51],
          ],
        ],
      },
      { type: 'MultiPolygon', coordinates: [] },
    ];
    for (const geometry of cases) {
      expect(validateBoundary(geometry), JSON.stringify(geometry)).toHaveLength(1);
    }
  });

  it('bounds the number of vertices', () => {
    const ring: [number, number][] = Array.from({ length: MAX_BOUNDARY_VERTICES }, (_, i) => [
      5 + i / MAX_BOUNDARY_VERTICES,
      51,
    ]);
    ring.push(ring[0]!);
    expect(validateBoundary({ type: 'Polygon', coordinates: [ring] })[0]?.message).toMatch(
      /at most/,
    );
  });

  it('drops altitudes when normalising', () => {
    const ring = square(5, 51, 0.1).map(
      ([lon, lat]) => [lon, lat, 30] as unknown as [number, number],
    );
    const result = normalizeBoundary({ type: 'Polygon', coordinates: [ring] });
    expect(result.coordinates[0]![0]).toEqual([5, 51]);
  });
});

describe('householdsFromPopulation', () => {
  it('estimates about 2.3 people per household', () => {
    expect(householdsFromPopulation(33076)).toBe(14381);
    expect(householdsFromPopulation(0)).toBe(0);
  });
});
