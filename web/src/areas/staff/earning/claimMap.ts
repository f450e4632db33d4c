// `.js` so that test/web (NodeNext resolution) can import this file too.
import { type OutlineGeometry, ringsOf } from '../../../geo/project.js';

// The review queue's small map without tiles: the municipality's outline, the place a claim was
// made and the activity's site with its radius, in one SVG box. The projection is the one of
// geo/project.ts (equirectangular, x scaled by cos(latitude), north up), fitted around the
// outline and both points so that a claim made far away still shows, at the edge.

export interface MapPoint {
  latitude: number;
  longitude: number;
}

export interface ClaimScene {
  width: number;
  height: number;
  /** The outline's path data (fill-rule evenodd), or null without a boundary. */
  outline: string | null;
  claim: { x: number; y: number } | null;
  site: { x: number; y: number; r: number } | null;
}

const METERS_PER_DEGREE = 111_320;
/** The smallest span drawn (about 1 km), so a lone point gets some room around it. */
const MIN_SPAN_DEGREES = 0.01;

/**
 * Projects the outline, the claim's place and the site into a box whose longer side is `size`
 * (plus `padding`); null when there is nothing to draw.
 */
export function projectClaimScene(
  boundary: OutlineGeometry | null,
  claim: MapPoint | null,
  site: (MapPoint & { radiusMeters: number }) | null,
  size = 400,
  padding = 16,
): ClaimScene | null {
  const rings = boundary ? ringsOf(boundary).filter((ring) => ring.length >= 3) : [];
  const lonLats: [number, number][] = rings.flat().map(([lon, lat]) => [lon, lat]);
  if (claim) lonLats.push([claim.longitude, claim.latitude]);
  if (site) lonLats.push([site.longitude, site.latitude]);
  if (lonLats.length === 0) return null;

  let minLon = Number.POSITIVE_INFINITY;
  let maxLon = Number.NEGATIVE_INFINITY;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  for (const [lon, lat] of lonLats) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  // Widen a box that is too small around its centre.
  if ((maxLon - minLon) * kx < MIN_SPAN_DEGREES && maxLat - minLat < MIN_SPAN_DEGREES) {
    const midLon = (minLon + maxLon) / 2;
    const midLat = (minLat + maxLat) / 2;
    minLon = midLon - MIN_SPAN_DEGREES / kx / 2;
    maxLon = midLon + MIN_SPAN_DEGREES / kx / 2;
    minLat = midLat - MIN_SPAN_DEGREES / 2;
    maxLat = midLat + MIN_SPAN_DEGREES / 2;
  }
  const spanX = (maxLon - minLon) * kx;
  const spanY = maxLat - minLat;
  const span = Math.max(spanX, spanY);
  if (!Number.isFinite(span) || span <= 0) return null;
  const scale = size / span;

  const round = (n: number) => Math.round(n * 10) / 10;
  const project = (lon: number, lat: number) => ({
    x: round(padding + (lon - minLon) * kx * scale),
    y: round(padding + (maxLat - lat) * scale),
  });
  const outline =
    rings.length === 0
      ? null
      : rings
          .map((ring) => {
            const commands = ring.map(([lon, lat], i) => {
              const { x, y } = project(lon, lat);
              return `${i === 0 ? 'M' : 'L'}${x} ${y}`;
            });
            return `${commands.join('')}Z`;
          })
          .join('');

  return {
    width: round(spanX * scale + 2 * padding),
    height: round(spanY * scale + 2 * padding),
    outline,
    claim: claim ? project(claim.longitude, claim.latitude) : null,
    site: site
      ? {
          ...project(site.longitude, site.latitude),
          r: round((site.radiusMeters / METERS_PER_DEGREE) * scale),
        }
      : null,
  };
}

/** The distance in metres between two points (haversine), for the map's caption. */
export function metersBetween(a: MapPoint, b: MapPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}
