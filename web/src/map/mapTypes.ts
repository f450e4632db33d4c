/** A point in WGS84 degrees. */
export interface LatLon {
  lat: number;
  lon: number;
}

/** A box in WGS84 degrees. */
export interface Bounds {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** A pin on the map: a task or a report, with the name a screen reader says. */
export interface MapPin extends LatLon {
  id: string;
  kind: 'task' | 'report';
  label: string;
}

/** `minLon,minLat,maxLon,maxLat`, the bbox query parameter of the GeoJSON feeds and searches. */
export function bboxParam(b: Bounds): string {
  const r = (n: number) => Math.round(n * 1e5) / 1e5;
  return [
    r(Math.max(-180, b.west)),
    r(Math.max(-90, b.south)),
    r(Math.min(180, b.east)),
    r(Math.min(90, b.north)),
  ].join(',');
}

/** The bounds of a boundary's rings ([lon, lat] positions), or null when it has none. */
export function boundsOfPositions(positions: readonly (readonly number[])[]): Bounds | null {
  if (positions.length === 0) return null;
  let south = 90;
  let west = 180;
  let north = -90;
  let east = -180;
  for (const [lon, lat] of positions) {
    if (lon === undefined || lat === undefined) continue;
    south = Math.min(south, lat);
    north = Math.max(north, lat);
    west = Math.min(west, lon);
    east = Math.max(east, lon);
  }
  return south <= north ? { south, west, north, east } : null;
}

/** A box of `meters` around a point (to fit the map to a task's or a report's place). */
export function boxAround(lat: number, lon: number, meters: number): Bounds {
  const dLat = meters / 111_320;
  const dLon = meters / (111_320 * Math.cos((lat * Math.PI) / 180));
  return { south: lat - dLat, north: lat + dLat, west: lon - dLon, east: lon + dLon };
}
