import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceMeters } from '../../shared/geo.js';
import {
  DIGEST_ITEM_LIMIT,
  digestItems,
  digestLines,
  insideArea,
  nextDigestAfter,
  validateAlertInput,
} from './alerts.rules.js';
import type { AlertItem } from './alerts.types.js';

const item = (n: number, kind: AlertItem['kind'], latitude = 51.2, longitude = 5.4): AlertItem => ({
  kind,
  id: `${kind}_${n}`,
  municipalityId: 'mun_1',
  latitude,
  longitude,
  titles: { nl: `nl ${n}`, fr: `fr ${n}`, de: `de ${n}`, en: `en ${n}` },
  createdAt: new Date(Date.UTC(2026, 11, 1, 0, n)).toISOString(),
  path: `/${kind}s/${n}`,
});

describe('area alert rules', () => {
  it('accepts a circle of 100 m to 20 km and refuses the rest', () => {
    const circle = (radiusM: number, latitude = 51.2) => ({
      area: { kind: 'circle' as const, latitude, longitude: 5.4, radiusM },
      tasks: true,
      reports: false,
      frequency: 'daily' as const,
    });
    expect(validateAlertInput(circle(100))).toEqual([]);
    expect(validateAlertInput(circle(20_000))).toEqual([]);
    expect(validateAlertInput(circle(99))[0]?.field).toBe('/area/radiusM');
    expect(validateAlertInput(circle(20_001))[0]?.field).toBe('/area/radiusM');
    expect(validateAlertInput(circle(500, 91))[0]?.field).toBe('/area/latitude');
    expect(validateAlertInput({ ...circle(500), tasks: false, reports: false })[0]?.code).toBe(
      'nothing_to_follow',
    );
  });

  it('counts an item inside a circle exactly when it is within the radius', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 50, max: 52, noNaN: true }),
        fc.double({ min: 4, max: 6, noNaN: true }),
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        fc.integer({ min: 100, max: 20_000 }),
        (latitude, longitude, dLat, dLon, radiusM) => {
          const area = { kind: 'circle' as const, latitude, longitude, radiusM };
          const point = { latitude: latitude + dLat, longitude: longitude + dLon };
          expect(insideArea(area, point)).toBe(distanceMeters(area, point) <= radiusM);
        },
      ),
    );
  });

  it('keeps only the kinds followed, inside the area, oldest first', () => {
    const area = { kind: 'circle' as const, latitude: 51.2, longitude: 5.4, radiusM: 1000 };
    const items = [item(3, 'task'), item(1, 'report'), item(2, 'task', 51.3), item(4, 'report')];
    expect(digestItems({ area, tasks: true, reports: true }, items).map((i) => i.id)).toEqual([
      'report_1',
      'task_3',
      'report_4',
    ]);
    expect(digestItems({ area, tasks: false, reports: true }, items).map((i) => i.id)).toEqual([
      'report_1',
      'report_4',
    ]);
  });

  it('lists at most the limit in the resident’s language and counts the rest', () => {
    const items = Array.from({ length: DIGEST_ITEM_LIMIT + 3 }, (_, n) => item(n, 'task'));
    const lines = digestLines(items, 'de', 'https://points.example.be/').split('\n');
    expect(lines).toHaveLength(DIGEST_ITEM_LIMIT + 1);
    expect(lines[0]).toBe('• Aufgabe: de 0 — https://points.example.be/tasks/0');
    expect(lines.at(-1)).toBe('… und 3 weitere auf der Karte.');
  });

  it('puts the next digest a day or a week later', () => {
    const from = new Date('2026-12-01T09:00:00Z');
    expect(nextDigestAfter(from, 'daily').toISOString()).toBe('2026-12-02T09:00:00.000Z');
    expect(nextDigestAfter(from, 'weekly').toISOString()).toBe('2026-12-08T09:00:00.000Z');
  });
});
