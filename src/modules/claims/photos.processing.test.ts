import { deflateSync } from 'node:zlib';
import exifr from 'exifr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { jpegWithExif, patternImage } from '../../../test/support/exif-jpeg.js';
import { DomainError } from '../../shared/errors.js';
import { canDecodeHeic, processPhoto } from './photos.processing.js';
import {
  findDuplicatePhoto,
  hammingDistance,
  MAX_PHOTO_BYTES,
  MAX_PHOTO_PIXELS,
  NEAR_DUPLICATE_DISTANCE,
} from './photos.rules.js';

async function refusal(bytes: Buffer): Promise<DomainError> {
  const error = await processPhoto(bytes).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

/** A PNG whose header declares a canvas of the given size, over a tiny compressed body. */
function pngDeclaring(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('processPhoto: duplicates', () => {
  it('gives the same file the same fingerprints', async () => {
    const photo = await jpegWithExif({ seed: 7 });
    const first = await processPhoto(photo);
    const again = await processPhoto(Buffer.from(photo));
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first.perceptualHash).toMatch(/^[0-9a-f]{16}$/);
    expect(again.sha256).toBe(first.sha256);
    expect(again.perceptualHash).toBe(first.perceptualHash);
    expect(findDuplicatePhoto(again, [first])?.kind).toBe('same_file');
  });

  it('flags the same picture re-encoded at another quality and resized to half', async () => {
    const original = await patternImage({ seed: 7, width: 1200, height: 900 })
      .jpeg({ quality: 92 })
      .toBuffer();
    const halfSize = await sharp(original).resize(600, 450).jpeg({ quality: 55 }).toBuffer();
    const asWebp = await sharp(original).resize(800).webp({ quality: 70 }).toBuffer();
    const [a, b, c] = await Promise.all(
      [original, halfSize, asWebp].map((bytes) => processPhoto(bytes)),
    );
    expect(b!.sha256).not.toBe(a!.sha256);
    expect(c!.sha256).not.toBe(a!.sha256);
    expect(hammingDistance(a!.perceptualHash, b!.perceptualHash)).toBeLessThanOrEqual(
      NEAR_DUPLICATE_DISTANCE,
    );
    expect(hammingDistance(a!.perceptualHash, c!.perceptualHash)).toBeLessThanOrEqual(
      NEAR_DUPLICATE_DISTANCE,
    );
    expect(findDuplicatePhoto(b!, [a!])?.kind).toBe('near_duplicate');
    expect(findDuplicatePhoto(c!, [a!])?.kind).toBe('near_duplicate');
  });

  it('hashes what a viewer sees: an EXIF-rotated photo matches the same photo turned for real', async () => {
    const stored = await patternImage({ seed: 5, width: 640, height: 480 }).jpeg().toBuffer();
    const tagged = await sharp(stored).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const turned = await sharp(stored).rotate(90).jpeg().toBuffer();
    const [fromTag, fromPixels, unturned] = await Promise.all(
      [tagged, turned, stored].map((bytes) => processPhoto(bytes)),
    );
    expect([fromTag!.width, fromTag!.height]).toEqual([480, 640]);
    expect(
      hammingDistance(fromTag!.perceptualHash, fromPixels!.perceptualHash),
    ).toBeLessThanOrEqual(NEAR_DUPLICATE_DISTANCE);
    expect(hammingDistance(fromTag!.perceptualHash, unturned!.perceptualHash)).toBeGreaterThan(
      NEAR_DUPLICATE_DISTANCE,
    );
  });

  it('keeps different pictures far apart', async () => {
    const photos = await Promise.all(
      [1, 2, 3, 4].map(async (seed) => processPhoto(await jpegWithExif({ seed }))),
    );
    for (const [index, a] of photos.entries()) {
      for (const b of photos.slice(index + 1)) {
        expect(hammingDistance(a.perceptualHash, b.perceptualHash)).toBeGreaterThan(
          2 * NEAR_DUPLICATE_DISTANCE,
        );
      }
    }
    expect(findDuplicatePhoto(photos[0]!, photos.slice(1))).toBeNull();
  });
});

describe('processPhoto: evidence and display', () => {
  it('reads the EXIF time and GPS position of the original', async () => {
    const photo = await jpegWithExif({
      takenAt: '2026-05-01T09:15:30Z',
      latitude: 50.846732,
      longitude: 4.352472,
    });
    const processed = await processPhoto(photo);
    expect(processed.takenAt).toBe('2026-05-01T09:15:30.000Z');
    expect(processed.latitude).toBeCloseTo(50.846732, 6);
    expect(processed.longitude).toBeCloseTo(4.352472, 6);

    const southWest = await processPhoto(
      await jpegWithExif({ latitude: -33.45, longitude: -70.66 }),
    );
    expect(southWest.latitude).toBeCloseTo(-33.45, 6);
    expect(southWest.longitude).toBeCloseTo(-70.66, 6);
    expect(southWest.takenAt).toBeNull();
  });

  it('reads a camera clock without an offset in the region’s zone, or the one given', async () => {
    const photo = await jpegWithExif({ exifDateTime: '2026:07:01 14:00:00' });
    expect((await processPhoto(photo)).takenAt).toBe('2026-07-01T12:00:00.000Z');
    expect((await processPhoto(photo, { timeZone: 'UTC' })).takenAt).toBe(
      '2026-07-01T14:00:00.000Z',
    );
    const withOffset = await jpegWithExif({
      exifDateTime: '2026:07:01 14:00:00',
      exifOffset: '+09:00',
    });
    expect((await processPhoto(withOffset)).takenAt).toBe('2026-07-01T05:00:00.000Z');
  });

  it('gives nulls, not an error, for a photo without EXIF', async () => {
    const processed = await processPhoto(await patternImage().png().toBuffer());
    expect(processed).toMatchObject({ takenAt: null, latitude: null, longitude: null });
  });

  it('reads EXIF from WebP and PNG too', async () => {
    const exif = {
      IFD2: { DateTimeOriginal: '2026:03:02 10:00:00', OffsetTimeOriginal: '+01:00' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 13/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '4/1 24/1 0/1',
      },
    };
    for (const image of [
      patternImage().webp().withExif(exif),
      patternImage().png().withExif(exif),
    ]) {
      const processed = await processPhoto(await image.toBuffer());
      expect(processed.takenAt).toBe('2026-03-02T09:00:00.000Z');
      expect(processed.latitude).toBeCloseTo(51.216667, 5);
      expect(processed.longitude).toBeCloseTo(4.4, 5);
    }
  });

  it('re-encodes a display JPEG with no metadata left in it', async () => {
    const photo = await jpegWithExif({
      takenAt: '2026-05-01T09:15:30Z',
      latitude: 50.85,
      longitude: 4.35,
      orientation: 6,
    });
    const { display, contentType } = await processPhoto(photo);
    expect(contentType).toBe('image/jpeg');
    expect(display.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(await exifr.parse(display, true)).toBeUndefined();
    expect(await exifr.gps(display)).toBeUndefined();
    const metadata = await sharp(display).metadata();
    expect(metadata.format).toBe('jpeg');
    for (const block of ['exif', 'xmp', 'iptc', 'icc', 'orientation'] as const) {
      expect(metadata[block]).toBeUndefined();
    }
  });

  it('fits the display within 1600x1600 without enlarging a small photo', async () => {
    const large = await patternImage().resize(2400, 1800).jpeg().toBuffer();
    const small = await patternImage({ width: 300, height: 200 }).png().toBuffer();
    const transparent = await sharp({
      create: { width: 40, height: 30, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const [big, little, clear] = await Promise.all(
      [large, small, transparent].map((bytes) => processPhoto(bytes)),
    );
    expect([big!.width, big!.height]).toEqual([1600, 1200]);
    expect(await sharp(big!.display).metadata()).toMatchObject({ width: 1600, height: 1200 });
    expect([little!.width, little!.height]).toEqual([300, 200]);
    // Transparency becomes white, not JPEG's default black.
    const { data } = await sharp(clear!.display).raw().toBuffer({ resolveWithObject: true });
    expect(Math.min(...data)).toBeGreaterThan(245);
  });
});

describe('processPhoto: bad input', () => {
  it('refuses an upload over 10 MB before reading it', async () => {
    const error = await refusal(Buffer.alloc(50 * 1024 * 1024, 0xff));
    expect(error).toMatchObject({
      code: 'photo_too_large',
      kind: 'too_large',
      details: { maxBytes: MAX_PHOTO_BYTES },
    });
    const justOver = Buffer.concat([await jpegWithExif(), Buffer.alloc(MAX_PHOTO_BYTES)]);
    expect(await refusal(justOver)).toMatchObject({ code: 'photo_too_large' });
  });

  it('refuses a file that is not an image, whatever it is called', async () => {
    for (const bytes of [
      Buffer.from('Dear council, I recycled 3 kg of glass.\n'),
      Buffer.from('%PDF-1.7\n'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      await patternImage().gif().toBuffer(),
      await patternImage().tiff().toBuffer(),
      Buffer.alloc(0),
    ]) {
      expect(await refusal(bytes)).toMatchObject({
        code: 'photo_not_an_image',
        kind: 'unsupported_media_type',
      });
    }
  });

  it('refuses a truncated or corrupt photo as unreadable', async () => {
    const photo = await jpegWithExif();
    expect(await refusal(photo.subarray(0, Math.floor(photo.length / 2)))).toMatchObject({
      code: 'photo_unreadable',
      kind: 'invalid',
    });
    const garbage = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      Buffer.alloc(2000, 0x5a),
    ]);
    expect(await refusal(garbage)).toMatchObject({ code: 'photo_unreadable' });
    const png = await patternImage().png().toBuffer();
    expect(await refusal(png.subarray(0, png.length - 200))).toMatchObject({
      code: 'photo_unreadable',
    });
  });

  it('refuses a decompression bomb from its declared size, without decoding it', async () => {
    const bomb = pngDeclaring(10_000, 10_000);
    expect(bomb.length).toBeLessThan(1000);
    expect(await refusal(bomb)).toMatchObject({
      code: 'photo_too_many_pixels',
      kind: 'too_large',
      details: { maxPixels: MAX_PHOTO_PIXELS },
    });
  });

  it('refuses HEIC clearly when this build cannot decode it', async () => {
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'),
      Buffer.alloc(500),
    ]);
    const error = await refusal(heic);
    if (canDecodeHeic()) expect(error.code).toBe('photo_unreadable');
    else
      expect(error).toMatchObject({
        code: 'photo_heic_unsupported',
        kind: 'unsupported_media_type',
      });
  });
});
