import { type Coordinate, isValidCoordinate } from '../../shared/geo.js';

/** Pure rules for claim photos: what we accept, how fingerprints compare, how EXIF values read. */

/** The largest upload we read; a phone's full-size JPEG is 2–8 MB. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/**
 * The most pixels we decode (a 48 MP phone sensor bins to 12 MP; 40 MP leaves room for
 * panoramas). A small file can declare a huge canvas, so this, not the byte size, bounds memory.
 */
export const MAX_PHOTO_PIXELS = 40_000_000;

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic';

/**
 * dHash distance (of 64 bits) at or under which two photos count as the same picture.
 * Re-encoding and resizing move a dHash by 0–6 bits; for unrelated pictures the bits are close to
 * independent, and 10 or fewer differing bits by chance has a probability near 1e-8. Ten is
 * also the customary cut-off for dHash. A match only flags the claim for a reviewer, so a rare
 * false match of two very similar scenes costs a look, not the resident's points.
 */
export const NEAR_DUPLICATE_DISTANCE = 10;

const HEIF_BRANDS = new Set([
  'heic',
  'heix',
  'heim',
  'heis',
  'hevc',
  'hevx',
  'hevm',
  'hevs',
  'mif1',
  'msf1',
]);
// AVIF shares the HEIF container and the generic mif1 brand; it is not a photo type we accept.
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** The image type the first bytes announce (JPEG, PNG, WebP, HEIC/HEIF), or null for anything else. */
export function sniffImageType(bytes: Uint8Array): PhotoType | null {
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'image/webp';
  if (ascii(bytes, 4, 4) === 'ftyp') {
    const brands = ftypBrands(bytes);
    if (brands.some((brand) => AVIF_BRANDS.has(brand))) return null;
    if (brands.some((brand) => HEIF_BRANDS.has(brand))) return 'image/heic';
  }
  return null;
}

/** The major brand and the compatible brands of an ISO-BMFF `ftyp` box at the start of a file. */
function ftypBrands(bytes: Uint8Array): string[] {
  const boxSize = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const end = Math.min(boxSize, bytes.length, 256);
  const brands = [ascii(bytes, 8, 4)];
  // Bytes 12–15 are the minor version, not a brand.
  for (let offset = 16; offset + 4 <= end; offset += 4) brands.push(ascii(bytes, offset, 4));
  return brands;
}

function startsWith(bytes: Uint8Array, offset: number, expected: readonly number[]): boolean {
  return expected.every((value, index) => bytes[offset + index] === value);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (bytes.length < offset + length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

const HASH_PATTERN = /^[0-9a-f]{16}$/i;
const NIBBLE_BITS = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

/** How many of the 64 bits differ between two 16-hex-digit hashes; throws RangeError on another shape. */
export function hammingDistance(a: string, b: string): number {
  if (!HASH_PATTERN.test(a) || !HASH_PATTERN.test(b)) {
    throw new RangeError('a perceptual hash is 16 hexadecimal digits');
  }
  let distance = 0;
  for (let index = 0; index < 16; index += 1) {
    distance += NIBBLE_BITS[Number.parseInt(a[index]!, 16) ^ Number.parseInt(b[index]!, 16)]!;
  }
  return distance;
}

/** True when two perceptual hashes are within NEAR_DUPLICATE_DISTANCE bits of each other. */
export function isNearDuplicate(a: string, b: string): boolean {
  return hammingDistance(a, b) <= NEAR_DUPLICATE_DISTANCE;
}

/** What identifies a stored photo for the duplicate check. */
export interface PhotoFingerprint {
  sha256: string;
  perceptualHash: string;
}

export type DuplicateMatch<T> =
  | { kind: 'same_file'; photo: T; distance: 0 }
  | { kind: 'near_duplicate'; photo: T; distance: number };

/** The earlier photo that is the same file, else the nearest near-duplicate; null when none is. */
export function findDuplicatePhoto<T extends PhotoFingerprint>(
  photo: PhotoFingerprint,
  earlier: readonly T[],
): DuplicateMatch<T> | null {
  const sameFile = earlier.find((candidate) => candidate.sha256 === photo.sha256);
  if (sameFile) return { kind: 'same_file', photo: sameFile, distance: 0 };
  let nearest: DuplicateMatch<T> | null = null;
  for (const candidate of earlier) {
    const distance = hammingDistance(photo.perceptualHash, candidate.perceptualHash);
    if (distance <= NEAR_DUPLICATE_DISTANCE && (nearest === null || distance < nearest.distance)) {
      nearest = { kind: 'near_duplicate', photo: candidate, distance };
    }
  }
  return nearest;
}

/** The dHash grid: each row of 9 samples gives 8 left-to-right comparisons, 8 rows give 64 bits. */
export const DHASH_WIDTH = 9;
export const DHASH_HEIGHT = 8;

/**
 * The 64-bit difference hash (16 hex digits) of a 9x8 greyscale grid in row order: a bit is set
 * where a sample is brighter than its right-hand neighbour, so it survives scaling, re-encoding
 * and brightness changes. Throws RangeError when the grid is not 72 samples.
 */
export function differenceHash(grey: Uint8Array): string {
  if (grey.length !== DHASH_WIDTH * DHASH_HEIGHT) {
    throw new RangeError(`a dHash grid has ${DHASH_WIDTH * DHASH_HEIGHT} samples`);
  }
  let hex = '';
  for (let row = 0; row < DHASH_HEIGHT; row += 1) {
    let byte = 0;
    for (let column = 0; column < DHASH_WIDTH - 1; column += 1) {
      const left = grey[row * DHASH_WIDTH + column]!;
      const right = grey[row * DHASH_WIDTH + column + 1]!;
      byte = (byte << 1) | (left > right ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

const EXIF_DATE_TIME = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;
const EXIF_OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/**
 * The instant (ISO 8601, UTC) of an EXIF date-time such as `2024:05:06 14:30:00`. EXIF keeps the
 * camera's wall clock; its offset tag (`+02:00`), when present, places it, otherwise it is read in
 * `timeZone` (an IANA name). Null when the value is missing, blank (`0000:00:00 …`) or impossible.
 */
export function exifDateTimeToIso(
  dateTime: unknown,
  offset: unknown,
  timeZone: string,
): string | null {
  if (typeof dateTime !== 'string') return null;
  const match = EXIF_DATE_TIME.exec(dateTime.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(wallClock);
  const real =
    year > 0 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  if (!real) return null;
  const offsetMinutes =
    parseOffsetMinutes(offset) ?? zoneOffsetMinutesAtWallClock(wallClock, timeZone);
  return new Date(wallClock - offsetMinutes * 60_000).toISOString();
}

function parseOffsetMinutes(offset: unknown): number | null {
  if (typeof offset !== 'string') return null;
  const match = EXIF_OFFSET.exec(offset.trim());
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (minutes > 14 * 60) return null;
  return match[1] === '-' ? -minutes : minutes;
}

/** The zone's UTC offset for a wall-clock time, settled twice so a DST change in between is seen. */
function zoneOffsetMinutesAtWallClock(wallClock: number, timeZone: string): number {
  const first = zoneOffsetMinutes(wallClock, timeZone);
  return zoneOffsetMinutes(wallClock - first * 60_000, timeZone);
}

function zoneOffsetMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((candidate) => candidate.type === type)?.value);
  const asWallClock = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return Math.round((asWallClock - Math.floor(instant / 1000) * 1000) / 60_000);
}

/**
 * The photo's GPS position when it is a usable one; null when absent, out of range, or exactly
 * 0,0 (what some cameras write before they have a fix).
 */
export function exifCoordinate(latitude: unknown, longitude: unknown): Coordinate | null {
  if (!isValidCoordinate(latitude, longitude)) return null;
  const coordinate = { latitude: latitude as number, longitude: longitude as number };
  if (coordinate.latitude === 0 && coordinate.longitude === 0) return null;
  return coordinate;
}
