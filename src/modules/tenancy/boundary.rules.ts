import { boundaryBox, insideBoundary, insideRing, polygonsOf } from './routing.rules.js';
import type { BoundaryGeometry, Position } from './tenancy.types.js';

/**
 * The geometric checks of a boundary whose structure is already valid (closed rings of at least
 * four WGS84 positions): no ring crosses or touches itself or another ring, holes lie inside
 * their outer ring, the polygons of a MultiPolygon do not nest, and the size is that of one
 * municipality. Pure; planar in degrees (a municipality is small enough for that).
 */

/** The widest and tallest box one municipality may span, in degrees (≈ 220 km north–south). */
export const MAX_BOUNDARY_SPAN_DEGREES = 2;
/** The smallest area a polygon may enclose, in square degrees (≈ 8 m² in Belgium): not a sliver. */
export const MIN_POLYGON_AREA_SQUARE_DEGREES = 1e-9;
/** Segment pairs the crossing check may compare before it calls the outline too complex. */
export const MAX_SEGMENT_PAIR_TESTS = 20_000_000;

export type BoundaryProblemCode =
  | 'self_intersection'
  | 'too_complex'
  | 'hole_outside'
  | 'polygons_overlap'
  | 'zero_area'
  | 'too_large';

export interface BoundaryProblem {
  code: BoundaryProblemCode;
  /** Where, as a path below the geometry: `coordinates/0/1` (polygon, ring for a MultiPolygon). */
  path: string;
  message: string;
}

/** The area a closed ring encloses, in square degrees (shoelace; never negative). */
export function ringArea(ring: readonly Position[]): number {
  let twice = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    twice += (xj - xi) * (yj + yi);
  }
  return Math.abs(twice) / 2;
}

/** The approximate area of the geometry in km² (outer rings minus holes, scaled at its latitude). */
export function areaSquareKm(geometry: BoundaryGeometry): number {
  const [, south, , north] = boundaryBox(geometry);
  const kmPerDegree = 111.195;
  const scale = kmPerDegree * kmPerDegree * Math.cos((((south + north) / 2) * Math.PI) / 180);
  let degrees = 0;
  for (const [outer, ...holes] of polygonsOf(geometry)) {
    degrees += ringArea(outer ?? []) - holes.reduce((sum, hole) => sum + ringArea(hole), 0);
  }
  return degrees * scale;
}

/** Every geometric problem of a structurally valid boundary, at most one of each kind. */
export function boundaryProblems(geometry: BoundaryGeometry): BoundaryProblem[] {
  const problems: BoundaryProblem[] = [];
  const multi = geometry.type === 'MultiPolygon';
  const pathOf = (polygon: number, ring: number) =>
    multi ? `coordinates/${polygon}/${ring}` : `coordinates/${ring}`;

  const [west, south, east, north] = boundaryBox(geometry);
  if (east - west > MAX_BOUNDARY_SPAN_DEGREES || north - south > MAX_BOUNDARY_SPAN_DEGREES) {
    problems.push({
      code: 'too_large',
      path: 'coordinates',
      message: `One municipality spans at most ${MAX_BOUNDARY_SPAN_DEGREES}° of longitude and of latitude; this spans ${(east - west).toFixed(3)}° × ${(north - south).toFixed(3)}°.`,
    });
  }

  const polygons = polygonsOf(geometry);
  for (const [index, [outer, ...holes]] of polygons.entries()) {
    const net = ringArea(outer!) - holes.reduce((sum, hole) => sum + ringArea(hole), 0);
    if (!(net > MIN_POLYGON_AREA_SQUARE_DEGREES)) {
      problems.push({
        code: 'zero_area',
        path: pathOf(index, 0),
        message: 'This polygon encloses no area (its points are on a line or its holes fill it).',
      });
      break;
    }
  }

  const crossing = firstCrossing(polygons);
  if (crossing === 'too_complex') {
    problems.push({
      code: 'too_complex',
      path: 'coordinates',
      message: 'This outline is too intricate to check; simplify it (fewer, shorter edges).',
    });
    return problems;
  }
  if (crossing) {
    const [a, b] = crossing;
    const where = `${pathOf(a.polygon, a.ring)}/${a.index}`;
    const other = `${pathOf(b.polygon, b.ring)}/${b.index}`;
    problems.push({
      code: 'self_intersection',
      path: where,
      message: `The edge from position ${where} crosses or touches the edge from ${other}; rings must be simple and must not meet.`,
    });
    // Containment is only meaningful for rings that do not cross.
    return problems;
  }

  for (const [index, [outer, ...holes]] of polygons.entries()) {
    for (const [h, hole] of holes.entries()) {
      const [lon, lat] = hole[0]!;
      const inOtherHole = holes.some((o, k) => k !== h && insideRing(lon, lat, o));
      if (!insideRing(lon, lat, outer!) || inOtherHole) {
        problems.push({
          code: 'hole_outside',
          path: pathOf(index, h + 1),
          message: 'A hole must lie inside its outer ring and outside the other holes.',
        });
        return problems;
      }
    }
  }
  for (const [index, polygon] of polygons.entries()) {
    const [lon, lat] = polygon[0]![0]!;
    const within = polygons.findIndex(
      (other, k) =>
        k !== index && insideBoundary(lon, lat, { type: 'Polygon', coordinates: other }),
    );
    if (within >= 0) {
      problems.push({
        code: 'polygons_overlap',
        path: pathOf(index, 0),
        message: `Polygon ${index} lies inside polygon ${within}; the polygons of a MultiPolygon must not overlap.`,
      });
      break;
    }
  }
  return problems;
}

interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  polygon: number;
  ring: number;
  /** The index of the segment's first position in its ring. */
  index: number;
  /** Its place among its ring's segments (zero-length ones left out), to tell neighbours apart. */
  order: number;
  /** How many segments its ring has (to tell neighbours apart). */
  ringSegments: number;
  ringId: number;
}

type SegmentRef = Pick<Segment, 'polygon' | 'ring' | 'index'>;

/**
 * The first pair of segments that meet anywhere other than the shared end of two neighbours in
 * one ring, or null; `too_complex` when the check would exceed MAX_SEGMENT_PAIR_TESTS. A sweep
 * along the longitude: segments are taken in order of their west end and compared only with the
 * segments still open at that longitude, so an outline costs O(n log n + n·k), k being how many
 * of its edges one meridian crosses (a handful for a real boundary). Consecutive repeated
 * positions (zero-length edges) are skipped.
 */
export function firstCrossing(
  polygons: readonly (readonly (readonly Position[])[])[],
  maxPairTests = MAX_SEGMENT_PAIR_TESTS,
): [SegmentRef, SegmentRef] | null | 'too_complex' {
  const segments: Segment[] = [];
  let ringId = 0;
  for (const [p, polygon] of polygons.entries()) {
    for (const [r, ring] of polygon.entries()) {
      const first = segments.length;
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x1, y1] = ring[i]!;
        const [x2, y2] = ring[i + 1]!;
        if (x1 === x2 && y1 === y2) continue;
        segments.push({
          x1,
          y1,
          x2,
          y2,
          minX: Math.min(x1, x2),
          maxX: Math.max(x1, x2),
          minY: Math.min(y1, y2),
          maxY: Math.max(y1, y2),
          polygon: p,
          ring: r,
          index: i,
          order: segments.length - first,
          ringSegments: 0,
          ringId,
        });
      }
      const count = segments.length - first;
      for (let k = first; k < segments.length; k++) segments[k]!.ringSegments = count;
      ringId++;
    }
  }
  segments.sort((a, b) => a.minX - b.minX);
  let active: Segment[] = [];
  let tests = 0;
  for (const segment of segments) {
    active = active.filter((open) => open.maxX >= segment.minX);
    for (const open of active) {
      if (open.maxY < segment.minY || open.minY > segment.maxY) continue;
      if (++tests > maxPairTests) return 'too_complex';
      if (neighbours(open, segment)) {
        if (overlapBeyondSharedEnd(open, segment)) return [refOf(open), refOf(segment)];
      } else if (segmentsMeet(open, segment)) {
        const [a, b] = [open, segment].sort((s, t) => s.ringId - t.ringId || s.order - t.order);
        return [refOf(a!), refOf(b!)];
      }
    }
    active.push(segment);
  }
  return null;
}

const refOf = (s: Segment): SegmentRef => ({ polygon: s.polygon, ring: s.ring, index: s.index });

/** Two consecutive segments of one ring (the last and the first count as consecutive). */
function neighbours(a: Segment, b: Segment): boolean {
  if (a.ringId !== b.ringId) return false;
  const gap = Math.abs(a.order - b.order);
  return gap === 1 || gap === a.ringSegments - 1;
}

/** The sign of the turn a → b → c: 1 left, -1 right, 0 collinear. */
function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number) {
  const cross = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return cross > 0 ? 1 : cross < 0 ? -1 : 0;
}

/** True when c, collinear with a–b, lies within the segment's box. */
function onSegment(ax: number, ay: number, bx: number, by: number, cx: number, cy: number) {
  return (
    Math.min(ax, bx) <= cx &&
    cx <= Math.max(ax, bx) &&
    Math.min(ay, by) <= cy &&
    cy <= Math.max(ay, by)
  );
}

/** True when the closed segments share at least one point. */
export function segmentsMeet(a: SegmentLike, b: SegmentLike): boolean {
  const o1 = orientation(a.x1, a.y1, a.x2, a.y2, b.x1, b.y1);
  const o2 = orientation(a.x1, a.y1, a.x2, a.y2, b.x2, b.y2);
  const o3 = orientation(b.x1, b.y1, b.x2, b.y2, a.x1, a.y1);
  const o4 = orientation(b.x1, b.y1, b.x2, b.y2, a.x2, a.y2);
  if (o1 !== o2 && o3 !== o4 && o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0) return true;
  return (
    (o1 === 0 && onSegment(a.x1, a.y1, a.x2, a.y2, b.x1, b.y1)) ||
    (o2 === 0 && onSegment(a.x1, a.y1, a.x2, a.y2, b.x2, b.y2)) ||
    (o3 === 0 && onSegment(b.x1, b.y1, b.x2, b.y2, a.x1, a.y1)) ||
    (o4 === 0 && onSegment(b.x1, b.y1, b.x2, b.y2, a.x2, a.y2))
  );
}

export interface SegmentLike {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * Neighbours share one end; they are wrong only when they run back over each other (a spike):
 * collinear and pointing the same way from the shared end.
 */
function overlapBeyondSharedEnd(a: Segment, b: Segment): boolean {
  // Orient both away from the shared position.
  const shared =
    a.x2 === b.x1 && a.y2 === b.y1
      ? [a.x2, a.y2]
      : b.x2 === a.x1 && b.y2 === a.y1
        ? [a.x1, a.y1]
        : null;
  if (!shared) return segmentsMeet(a, b);
  const [sx, sy] = shared as [number, number];
  const [ax, ay] = a.x1 === sx && a.y1 === sy ? [a.x2, a.y2] : [a.x1, a.y1];
  const [bx, by] = b.x1 === sx && b.y1 === sy ? [b.x2, b.y2] : [b.x1, b.y1];
  if (orientation(sx, sy, ax, ay, bx, by) !== 0) return false;
  return (ax - sx) * (bx - sx) + (ay - sy) * (by - sy) > 0;
}
