import { describe, expect, it } from 'vitest';
import { bboxParam, boundsOfPositions, boxAround } from '../../web/src/map/mapTypes.js';
import { feedPath, pinsOf, placeName, placesOf } from '../../web/src/map/places.js';

// The map pages' own reading of places: the bbox they ask the feeds for, the box around a
// boundary or a point, and the GeoJSON features as places and pins.

const names = { nl: 'Put in de weg', fr: 'Nid-de-poule', de: 'Schlagloch', en: 'Pothole' };

describe('map rules', () => {
  it('asks for minLon,minLat,maxLon,maxLat, rounded and clamped to the world', () => {
    expect(bboxParam({ south: 51.123456789, west: 5.2, north: 51.3, east: 5.6 })).toBe(
      '5.2,51.12346,5.6,51.3',
    );
    expect(bboxParam({ south: -95, west: -200, north: 95, east: 200 })).toBe('-180,-90,180,90');
    expect(feedPath('report', { south: 51, west: 5, north: 52, east: 6 }, 'pelt')).toBe(
      '/api/geo/reports.geojson?bbox=5%2C51%2C6%2C52&municipality=pelt',
    );
  });

  it('boxes a boundary and a point', () => {
    expect(
      boundsOfPositions([
        [5.2, 51.1],
        [5.6, 51.3],
        [5.4, 51.0],
      ]),
    ).toEqual({ south: 51.0, west: 5.2, north: 51.3, east: 5.6 });
    expect(boundsOfPositions([])).toBeNull();
    const box = boxAround(51.2249, 5.4276, 1000);
    expect(box.north - box.south).toBeCloseTo((2 * 1000) / 111_320, 6);
    // At 51° a degree of longitude is shorter: the box is wider in degrees than tall.
    expect(box.east - box.west).toBeGreaterThan(box.north - box.south);
  });

  it('reads features as places, skipping those without a point, named in the language', () => {
    const places = placesOf('report', {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [5.43, 51.22] },
          properties: {
            id: 'rep_1',
            kind: 'report',
            names,
            status: 'open',
            municipality: 'pelt',
            createdAt: '2026-12-01T09:00:00Z',
          },
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [] as unknown as [number, number] },
          properties: {
            id: 'rep_2',
            kind: 'report',
            names,
            status: 'open',
            municipality: 'pelt',
            createdAt: '2026-12-01T09:00:00Z',
          },
        },
      ],
    });
    expect(places.map((p) => [p.id, p.lat, p.lon])).toEqual([['rep_1', 51.22, 5.43]]);
    expect(placeName(places[0]!, 'fr')).toBe('Nid-de-poule');
    expect(pinsOf(places, (p) => `Report: ${placeName(p, 'en')}`)).toEqual([
      { id: 'report:rep_1', kind: 'report', lat: 51.22, lon: 5.43, label: 'Report: Pothole' },
    ]);
  });
});
