import { describe, expect, it } from 'vitest';
import { projectOutline, ringsOf } from '../../web/src/geo/project.js';

describe('boundary projection', () => {
  it('keeps proportions with cos(latitude) x-scaling and puts north up', () => {
    // A square of 1°×1° around latitude 60°: on the ground it is about half as wide as tall.
    const square = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [10, 59.5],
          [11, 59.5],
          [11, 60.5],
          [10, 60.5],
          [10, 59.5],
        ],
      ],
    };
    const outline = projectOutline(square, 100, 0)!;
    expect(outline.height).toBe(100);
    expect(outline.width).toBeCloseTo(50, 0);
    // The first point (south-west) is at the bottom left.
    expect(outline.d.startsWith('M0 100L')).toBe(true);
    expect(outline.d.endsWith('Z')).toBe(true);
  });

  it('draws every ring of a MultiPolygon, holes included', () => {
    const ring = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0],
    ];
    const multi = { type: 'MultiPolygon' as const, coordinates: [[ring, ring], [ring]] };
    expect(ringsOf(multi)).toHaveLength(3);
    expect(projectOutline(multi)!.d.match(/M/g)).toHaveLength(3);
  });

  it('returns null when there is nothing to draw', () => {
    expect(projectOutline({ type: 'Polygon', coordinates: [] })).toBeNull();
    const point = [
      [4, 50],
      [4, 50],
      [4, 50],
    ];
    expect(projectOutline({ type: 'Polygon', coordinates: [point] })).toBeNull();
  });
});
