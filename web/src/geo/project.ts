// Projects a lon/lat boundary into SVG coordinates. Near one municipality the earth is flat
// enough for an equirectangular projection: x is longitude scaled by cos(latitude) so that
// shapes keep their proportions, y is latitude flipped (north up).

export type LonLat = readonly [number, number, ...number[]];

export interface OutlineGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
}

export interface ProjectedOutline {
  /** SVG path data: one closed subpath per ring (use fill-rule evenodd for holes). */
  d: string;
  width: number;
  height: number;
}

/** All rings of a Polygon or MultiPolygon, or none for anything else. */
export function ringsOf(geometry: OutlineGeometry): LonLat[][] {
  if (geometry.type === 'Polygon') return geometry.coordinates as LonLat[][];
  if (geometry.type === 'MultiPolygon') return (geometry.coordinates as LonLat[][][]).flat();
  return [];
}

/**
 * Fits the outline in a box whose longer side is `size` units (plus `padding` on each side);
 * returns null when the geometry has no usable points.
 */
export function projectOutline(
  geometry: OutlineGeometry,
  size = 400,
  padding = 8,
): ProjectedOutline | null {
  const rings = ringsOf(geometry).filter((ring) => ring.length >= 3);
  const points = rings.flat();
  if (points.length === 0) return null;

  let minLon = Number.POSITIVE_INFINITY;
  let maxLon = Number.NEGATIVE_INFINITY;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  for (const [lon, lat] of points) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = (maxLon - minLon) * kx;
  const spanY = maxLat - minLat;
  const span = Math.max(spanX, spanY);
  if (!Number.isFinite(span) || span <= 0) return null;
  const scale = size / span;

  const round = (n: number) => Math.round(n * 10) / 10;
  const d = rings
    .map((ring) => {
      const commands = ring.map(([lon, lat], i) => {
        const x = round(padding + (lon - minLon) * kx * scale);
        const y = round(padding + (maxLat - lat) * scale);
        return `${i === 0 ? 'M' : 'L'}${x} ${y}`;
      });
      return `${commands.join('')}Z`;
    })
    .join('');

  return {
    d,
    width: round(spanX * scale + 2 * padding),
    height: round(spanY * scale + 2 * padding),
  };
}
