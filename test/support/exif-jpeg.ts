import sharp from 'sharp';

/**
 * Test photos: a seeded pattern (gradient plus shapes, so its perceptual hash is not degenerate)
 * and JPEGs carrying a chosen EXIF time, GPS position and orientation.
 */

export interface PatternOptions {
  /** Same seed, same picture; different seeds give unrelated pictures. */
  seed?: number;
  width?: number;
  height?: number;
}

/** Raw RGB pixels of the seeded pattern. */
export function patternPixels({ seed = 1, width = 640, height = 480 }: PatternOptions = {}): {
  data: Buffer;
  width: number;
  height: number;
} {
  const random = mulberry32(seed);
  const angle = random() * 2 * Math.PI;
  const base = [random() * 255, random() * 255, random() * 255];
  const shapes = Array.from({ length: 8 }, () => ({
    circle: random() < 0.5,
    x: random() * width,
    y: random() * height,
    size: (0.08 + random() * 0.25) * Math.min(width, height),
    colour: [random() * 255, random() * 255, random() * 255],
  }));
  const data = Buffer.alloc(width * height * 3);
  const span = Math.abs(Math.cos(angle)) * width + Math.abs(Math.sin(angle)) * height;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const along = (x * Math.cos(angle) + y * Math.sin(angle)) / span;
      let colour = base.map((channel) => (channel + along * 200) % 256);
      for (const shape of shapes) {
        const inside = shape.circle
          ? (x - shape.x) ** 2 + (y - shape.y) ** 2 < shape.size ** 2
          : Math.abs(x - shape.x) < shape.size && Math.abs(y - shape.y) < shape.size / 2;
        if (inside) colour = shape.colour;
      }
      const offset = (y * width + x) * 3;
      data[offset] = colour[0]!;
      data[offset + 1] = colour[1]!;
      data[offset + 2] = colour[2]!;
    }
  }
  return { data, width, height };
}

/** The seeded pattern as a sharp pipeline, to encode as any format. */
export function patternImage(options: PatternOptions = {}) {
  const { data, width, height } = patternPixels(options);
  return sharp(data, { raw: { width, height, channels: 3 } });
}

export interface ExifPhotoOptions extends PatternOptions {
  /** The instant the photo was taken; written as UTC wall clock with offset +00:00. */
  takenAt?: string | Date;
  /** Or the raw EXIF DateTimeOriginal (`YYYY:MM:DD HH:MM:SS`), optionally with its offset tag. */
  exifDateTime?: string;
  exifOffset?: string;
  latitude?: number;
  longitude?: number;
  /** EXIF orientation 1–8 (6: the viewer must turn the stored pixels 90° clockwise). */
  orientation?: number;
  quality?: number;
}

/** A JPEG of the seeded pattern with the given EXIF time, GPS position and orientation. */
export async function jpegWithExif(options: ExifPhotoOptions = {}): Promise<Buffer> {
  const exif: Record<string, string> = {};
  const gps: Record<string, string> = {};
  if (options.takenAt !== undefined) {
    const iso = new Date(options.takenAt).toISOString();
    exif.DateTimeOriginal = `${iso.slice(0, 10).replaceAll('-', ':')} ${iso.slice(11, 19)}`;
    exif.OffsetTimeOriginal = '+00:00';
  }
  if (options.exifDateTime !== undefined) exif.DateTimeOriginal = options.exifDateTime;
  if (options.exifOffset !== undefined) exif.OffsetTimeOriginal = options.exifOffset;
  if (options.latitude !== undefined && options.longitude !== undefined) {
    gps.GPSLatitudeRef = options.latitude < 0 ? 'S' : 'N';
    gps.GPSLatitude = degreesMinutesSeconds(options.latitude);
    gps.GPSLongitudeRef = options.longitude < 0 ? 'W' : 'E';
    gps.GPSLongitude = degreesMinutesSeconds(options.longitude);
  }
  let image = patternImage(options)
    .jpeg({ quality: options.quality ?? 90 })
    // libvips numbers the IFDs as libexif does: 0 main image, 2 Exif, 3 GPS.
    .withExif({ IFD0: { Make: 'CivicPoints test camera' }, IFD2: exif, IFD3: gps });
  if (options.orientation !== undefined) {
    image = image.withMetadata({ orientation: options.orientation });
  }
  return image.toBuffer();
}

/** EXIF GPS rationals: whole degrees, whole minutes, seconds to 1/10000. */
function degreesMinutesSeconds(value: number): string {
  const absolute = Math.abs(value);
  const degrees = Math.floor(absolute);
  const minutes = Math.floor((absolute - degrees) * 60);
  const seconds = Math.round(((absolute - degrees) * 60 - minutes) * 60 * 10_000);
  return `${degrees}/1 ${minutes}/1 ${seconds}/10000`;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
