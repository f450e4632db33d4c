import { describe, expect, it } from 'vitest';
import { cellOf } from '../../shared/geo-grid.js';
import type { PhotoFacts } from '../claims/claims.checks.js';
import { escapeText, foldLine, icsDateTime } from './tasks.ics.js';
import {
  assessCompletion,
  bountyTransferId,
  freeSlotNumber,
  holdExpiry,
  insideTask,
  parseBbox,
  placeOf,
  validateTaskInput,
} from './tasks.rules.js';
import type { TaskInput } from './tasks.types.js';

const text = (value: string) => ({ nl: value, fr: value, de: value, en: value });
const input = (overrides: Partial<TaskInput> = {}): TaskInput => ({
  title: text('t'),
  description: text('d'),
  location: { latitude: 51.2, longitude: 5.4, radiusMeters: 100 },
  bountyPoints: 10,
  slots: 2,
  windowStart: '2026-12-01T08:00:00Z',
  windowEnd: '2026-12-02T08:00:00+01:00',
  holdHours: 4,
  estimatedMinutes: 30,
  proofRequired: { beforePhoto: false, afterPhoto: true, location: true },
  volunteerSuitable: true,
  ...overrides,
});
const square = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [5.4, 51.2],
      [5.402, 51.2],
      [5.402, 51.201],
      [5.4, 51.201],
      [5.4, 51.2],
    ] as [number, number][],
  ],
};
const codes = (overrides: Partial<TaskInput>) =>
  validateTaskInput(input(overrides)).map((e) => `${e.field} ${e.code}`);

describe('task input', () => {
  it('accepts a point with a radius or an area, never both or neither', () => {
    expect(codes({})).toEqual([]);
    expect(codes({ location: null, area: square })).toEqual([]);
    expect(codes({ area: square })).toEqual(['/location place']);
    expect(codes({ location: null })).toEqual(['/location place']);
  });

  it('needs the suitability statement affirmed', () => {
    expect(codes({ volunteerSuitable: false })).toEqual(['/volunteerSuitable must_affirm']);
  });

  it('refuses bad places and windows', () => {
    expect(codes({ location: { latitude: 91, longitude: 5, radiusMeters: 10 } })).toEqual([
      '/location coordinate',
    ]);
    expect(codes({ location: { latitude: 51, longitude: 5, radiusMeters: 0 } })).toEqual([
      '/location/radiusMeters range',
    ]);
    const open = { ...square, coordinates: [square.coordinates[0]!.slice(0, 4)] };
    expect(codes({ location: null, area: open })).toEqual(['/area geometry']);
    const huge = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [5, 51],
          [5.3, 51],
          [5.3, 51.3],
          [5, 51],
        ] as [number, number][],
      ],
    };
    expect(codes({ location: null, area: huge })).toEqual(['/area too_large']);
    expect(codes({ windowEnd: '2026-12-01T08:00:00Z' })).toEqual(['/windowEnd order']);
    expect(codes({ windowStart: '1 december' })).toEqual(['/windowStart date_time']);
    expect(codes({ windowEnd: '2028-12-01T08:00:00Z' })).toEqual(['/windowEnd range']);
  });
});

describe('task place', () => {
  it('centers an area on its vertices and reaches its farthest vertex', () => {
    const place = placeOf({ area: square });
    expect(place.latitude).toBeCloseTo(51.2005, 6);
    expect(place.longitude).toBeCloseTo(5.401, 6);
    expect(place.extentMeters).toBeGreaterThan(70);
    expect(place.extentMeters).toBeLessThanOrEqual(95);
    expect(place.cell).toBe(cellOf(place.latitude, place.longitude));
    expect(place.radiusMeters).toBeNull();
  });

  it('says whether a point is inside the radius (with tolerance) or the area', () => {
    const point = placeOf({ location: { latitude: 51.2, longitude: 5.4, radiusMeters: 100 } });
    expect(insideTask(point, { latitude: 51.2009, longitude: 5.4 })).toBe(true); // ≈ 100 m
    expect(insideTask(point, { latitude: 51.2011, longitude: 5.4 })).toBe(true); // ≈ 122 m
    expect(insideTask(point, { latitude: 51.2015, longitude: 5.4 })).toBe(false); // ≈ 167 m
    const area = placeOf({ area: square });
    expect(insideTask(area, { latitude: 51.2005, longitude: 5.401 })).toBe(true);
    expect(insideTask(area, { latitude: 51.2015, longitude: 5.401 })).toBe(false);
  });
});

describe('slots and the bounty', () => {
  it('takes the lowest free slot number, none when all are held', () => {
    expect(freeSlotNumber([], 3)).toBe(1);
    expect(freeSlotNumber([1, 3], 3)).toBe(2);
    expect(freeSlotNumber([2, 1, 3], 3)).toBeNull();
  });

  it('holds a slot for the hold hours and names one transfer per claim', () => {
    expect(holdExpiry(new Date('2026-12-01T10:00:00Z'), 5).toISOString()).toBe(
      '2026-12-01T15:00:00.000Z',
    );
    expect(bountyTransferId('tcl_1')).toBe('tsk:tcl_1:bounty');
  });
});

describe('completion checks', () => {
  const task = {
    ...placeOf({ location: { latitude: 51.2, longitude: 5.4, radiusMeters: 100 } }),
    windowStart: '2026-12-01T08:00:00.000Z',
    windowEnd: '2026-12-02T08:00:00.000Z',
  };
  const photo = (overrides: Partial<PhotoFacts> = {}): PhotoFacts => ({
    id: 'pho_1',
    takenAt: null,
    latitude: null,
    longitude: null,
    sameAs: null,
    similarTo: null,
    ...overrides,
  });
  const assess = (overrides: Partial<Parameters<typeof assessCompletion>[0]> = {}) =>
    assessCompletion({
      task,
      now: '2026-12-01T12:00:00.000Z',
      location: { latitude: 51.2, longitude: 5.4 },
      photos: [photo()],
      ...overrides,
    });
  const flags = (overrides: Partial<Parameters<typeof assessCompletion>[0]>) =>
    assess(overrides).flags.map((f) => f.code);

  it('approves inside the place and window with fresh photos', () => {
    expect(assess()).toEqual({ outcome: 'approved', flags: [] });
  });

  it('sends anything in doubt to review', () => {
    expect(assess({ location: { latitude: 51.21, longitude: 5.4 } }).outcome).toBe('review');
    expect(flags({ location: { latitude: 51.21, longitude: 5.4 } })).toEqual(['outside_area']);
    expect(flags({ now: '2026-12-02T08:00:01.000Z' })).toEqual(['outside_window']);
    expect(flags({ photos: [photo({ sameAs: { claimId: 'clm_1', photoId: 'pho_0' } })] })).toEqual([
      'photo_reused',
    ]);
    expect(
      flags({
        photos: [photo({ similarTo: { claimId: 'tcl_1', photoId: 'pho_0', distance: 3 } })],
      }),
    ).toEqual(['photo_similar']);
    expect(flags({ photos: [photo({ latitude: 50, longitude: 4 })] })).toEqual([
      'photo_outside_area',
    ]);
    expect(flags({ photos: [photo({ takenAt: '2026-11-20T10:00:00+01:00' })] })).toEqual([
      'photo_outside_window',
    ]);
  });
});

describe('bbox', () => {
  it('parses minLon,minLat,maxLon,maxLat and refuses anything else', () => {
    expect(parseBbox('5.4,51.2,5.5,51.3')).toEqual({
      west: 5.4,
      south: 51.2,
      east: 5.5,
      north: 51.3,
    });
    expect(parseBbox('5.4,51.2,5.5')).toBeNull();
    expect(parseBbox('a,b,c,d')).toBeNull();
    expect(parseBbox('1e3,0,0,0')).toBeNull();
  });
});

describe('iCalendar text', () => {
  it('escapes backslash, semicolon, comma and newlines', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds at 75 octets without splitting a UTF-8 character', () => {
    const line = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    for (const part of parts.slice(1)) expect(part.startsWith(' ')).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });

  it('writes UTC date-times', () => {
    expect(icsDateTime('2026-12-01T10:00:00+01:00')).toBe('20261201T090000Z');
  });
});
