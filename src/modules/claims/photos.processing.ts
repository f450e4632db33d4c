import { createHash } from 'node:crypto';
import exifr from 'exifr';
import sharp, { type SharpOptions } from 'sharp';
import { DomainError } from '../../shared/errors.js';
import {
  DHASH_HEIGHT,
  DHASH_WIDTH,
  differenceHash,
  exifCoordinate,
  exifDateTimeToIso,
  MAX_PHOTO_BYTES,
  MAX_PHOTO_PIXELS,
  type PhotoType,
  sniffImageType,
} from './photos.rules.js';

/** Claim photo processing: refuse what is not a photo, keep a clean copy, read the evidence. */

export interface ProcessedPhoto {
  contentType: 'image/jpeg';
  /** Re-encoded for display: oriented, at most 1600x1600, no metadata (no GPS leaks to viewers). */
  display: Buffer;
  width: number;
  height: number;
  /** Hex SHA-256 of the uploaded bytes: the same file again. */
  sha256: string;
  /** 64-bit dHash (16 hex digits) of the oriented pixels: the same picture again. */
  perceptualHash: string;
  /** When the camera says it took the photo (ISO 8601, UTC), from the original's EXIF. */
  takenAt: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface ProcessPhotoOptions {
  /** Where a camera clock without an EXIF offset is read (IANA name); the region's zone by default. */
  timeZone?: string;
}

export const DISPLAY_MAX_SIDE = 1600;
export const DISPLAY_JPEG_QUALITY = 82;
const DEFAULT_TIME_ZONE = 'Europe/Brussels';

const SHARP_FORMAT: Record<PhotoType, string> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heif',
};

// failOn 'warning' makes a truncated or corrupt file an error instead of a half-grey picture.
const DECODE: SharpOptions = { limitInputPixels: MAX_PHOTO_PIXELS, failOn: 'warning' };

/** True when this sharp build decodes HEIC (its prebuilt libheif reads AVIF only, not HEVC). */
export function canDecodeHeic(): boolean {
  return sharp.format.heif.input.fileSuffix?.includes('.heic') ?? false;
}

/**
 * Checks and processes an uploaded photo into a display copy, its fingerprints and its EXIF time
 * and position. Throws DomainError photo_too_large, photo_not_an_image, photo_heic_unsupported,
 * photo_too_many_pixels or photo_unreadable; a photo without (or with broken) EXIF is not an error.
 */
export async function processPhoto(
  bytes: Buffer,
  options: ProcessPhotoOptions = {},
): Promise<ProcessedPhoto> {
  if (bytes.length > MAX_PHOTO_BYTES) throw photoTooLarge();
  const type = sniffImageType(bytes);
  if (type === null) throw notAnImage();
  if (type === 'image/heic' && !canDecodeHeic()) throw heicUnsupported();

  const metadata = await decodeOrRefuse(() => sharp(bytes, DECODE).metadata());
  if (metadata.format !== SHARP_FORMAT[type]) throw unreadable();
  if (metadata.width * metadata.height > MAX_PHOTO_PIXELS) throw tooManyPixels();

  const [display, perceptualHash, evidence] = await Promise.all([
    decodeOrRefuse(() => renderDisplay(bytes)),
    decodeOrRefuse(() => computePerceptualHash(bytes)),
    readExifEvidence(metadata.exif, options.timeZone ?? DEFAULT_TIME_ZONE),
  ]);
  return {
    contentType: 'image/jpeg',
    display: display.data,
    width: display.info.width,
    height: display.info.height,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    perceptualHash,
    ...evidence,
  };
}

function renderDisplay(bytes: Buffer) {
  // sharp writes no metadata unless asked to (keepExif/withMetadata), so GPS never reaches viewers.
  return sharp(bytes, DECODE)
    .autoOrient()
    .flatten({ background: '#ffffff' })
    .resize(DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: DISPLAY_JPEG_QUALITY })
    .toBuffer({ resolveWithObject: true });
}

async function computePerceptualHash(bytes: Buffer): Promise<string> {
  const { data, info } = await sharp(bytes, DECODE)
    .autoOrient()
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(DHASH_WIDTH, DHASH_HEIGHT, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const grey = new Uint8Array(DHASH_WIDTH * DHASH_HEIGHT);
  for (let index = 0; index < grey.length; index += 1) grey[index] = data[index * info.channels]!;
  return differenceHash(grey);
}

type ExifEvidence = Pick<ProcessedPhoto, 'takenAt' | 'latitude' | 'longitude'>;

const NO_EVIDENCE: ExifEvidence = { takenAt: null, latitude: null, longitude: null };

/** Reads the time and position from the EXIF block sharp found (any format); missing → nulls. */
async function readExifEvidence(exif: Buffer | undefined, timeZone: string): Promise<ExifEvidence> {
  if (!exif) return NO_EVIDENCE;
  // libvips hands over the APP1 payload, "Exif\0\0" then a TIFF structure, which exifr reads.
  const tiff = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
  let tags: Record<string, unknown> | undefined;
  try {
    tags = await exifr.parse(tiff, {
      pick: [
        'DateTimeOriginal',
        'OffsetTimeOriginal',
        'CreateDate',
        'OffsetTimeDigitized',
        'OffsetTime',
        'GPSLatitude',
        'GPSLatitudeRef',
        'GPSLongitude',
        'GPSLongitudeRef',
      ],
      // Raw strings: revived dates would be read in the server's own time zone.
      reviveValues: false,
    });
  } catch {
    return NO_EVIDENCE;
  }
  if (!tags) return NO_EVIDENCE;
  const takenAt =
    exifDateTimeToIso(
      tags.DateTimeOriginal,
      tags.OffsetTimeOriginal ?? tags.OffsetTime,
      timeZone,
    ) ?? exifDateTimeToIso(tags.CreateDate, tags.OffsetTimeDigitized ?? tags.OffsetTime, timeZone);
  const position = exifCoordinate(tags.latitude, tags.longitude);
  return {
    takenAt,
    latitude: position?.latitude ?? null,
    longitude: position?.longitude ?? null,
  };
}

async function decodeOrRefuse<T>(decode: () => Promise<T>): Promise<T> {
  try {
    return await decode();
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) throw tooManyPixels();
    throw unreadable();
  }
}

function photoTooLarge() {
  return new DomainError(
    'photo_too_large',
    'too_large',
    `The photo is larger than ${MAX_PHOTO_BYTES / (1024 * 1024)} MB.`,
    { details: { maxBytes: MAX_PHOTO_BYTES } },
  );
}

function notAnImage() {
  return new DomainError(
    'photo_not_an_image',
    'unsupported_media_type',
    'The file is not a photo. Send a JPEG, PNG, WebP or HEIC image.',
    { details: { accepted: ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] } },
  );
}

function heicUnsupported() {
  return new DomainError(
    'photo_heic_unsupported',
    'unsupported_media_type',
    'HEIC photos cannot be read here. Send the photo as JPEG (most phones can share it as JPEG).',
    { details: { accepted: ['image/jpeg', 'image/png', 'image/webp'] } },
  );
}

function tooManyPixels() {
  return new DomainError(
    'photo_too_many_pixels',
    'too_large',
    `The photo has more than ${MAX_PHOTO_PIXELS / 1_000_000} megapixels.`,
    { details: { maxPixels: MAX_PHOTO_PIXELS } },
  );
}

function unreadable() {
  return new DomainError(
    'photo_unreadable',
    'invalid',
    'The photo is damaged or incomplete and cannot be read. Take or send it again.',
  );
}
