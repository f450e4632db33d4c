import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  differenceHash,
  exifCoordinate,
  exifDateTimeToIso,
  findDuplicatePhoto,
  hammingDistance,
  isNearDuplicate,
  NEAR_DUPLICATE_DISTANCE,
  sniffImageType,
} from './photos.rules.js';

const bytes = (...values: (number | string)[]) =>
  Uint8Array.from(
    values.flatMap((value) =>
      typeof value === 'string' ? [...value].map((char) => char.charCodeAt(0)) : [value],
    ),
  );

const ftyp = (major: string, ...compatible: string[]) =>
  bytes(0, 0, 0, 16 + 4 * compatible.length, 'ftyp', major, 0, 0, 0, 0, ...compatible);

describe('sniffImageType', () => {
  it('knows photos by their first bytes, not by their name', () => {
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('image/jpeg');
    expect(sniffImageType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0))).toBe('image/png');
    expect(sniffImageType(bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(ftyp('heic', 'mif1', 'heic'))).toBe('image/heic');
    expect(sniffImageType(ftyp('mif1', 'heix'))).toBe('image/heic');
    expect(sniffImageType(ftyp('hevc'))).toBe('image/heic');
  });

  it('refuses everything else', () => {
    expect(sniffImageType(new TextEncoder().encode('just some text'))).toBeNull();
    expect(sniffImageType(bytes('%PDF-1.7'))).toBeNull();
    expect(sniffImageType(bytes('GIF89a'))).toBeNull();
    expect(sniffImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(sniffImageType(bytes('II*', 0))).toBeNull();
    expect(sniffImageType(bytes('RIFF', 0, 0, 0, 0, 'WAVEfmt '))).toBeNull();
    expect(sniffImageType(ftyp('avif', 'mif1', 'avif'))).toBeNull();
    expect(sniffImageType(ftyp('mif1', 'avif'))).toBeNull();
    expect(sniffImageType(ftyp('isom', 'mp41'))).toBeNull();
    expect(sniffImageType(bytes(0xff, 0xd8))).toBeNull();
    expect(sniffImageType(new Uint8Array())).toBeNull();
  });
});

const hash = fc.stringMatching(/^[0-9a-f]{16}$/);

describe('hammingDistance', () => {
  it('counts the differing bits', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('0000000000000001', '0000000000000000')).toBe(1);
    expect(hammingDistance('8000000000000000', '0000000000000001')).toBe(2);
    expect(hammingDistance('F0F0F0F0F0F0F0F0', 'f0f0f0f0f0f0f0f0')).toBe(0);
  });

  it('is a metric on 64-bit hashes that agrees with the XOR of the numbers', () => {
    fc.assert(
      fc.property(hash, hash, hash, (a, b, c) => {
        const distance = hammingDistance(a, b);
        const xor = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
        expect(distance).toBe([...xor.toString(2)].filter((bit) => bit === '1').length);
        expect(hammingDistance(b, a)).toBe(distance);
        expect(hammingDistance(a, a)).toBe(0);
        expect(distance).toBeLessThanOrEqual(hammingDistance(a, c) + hammingDistance(c, b));
      }),
    );
  });

  it('refuses anything that is not a 64-bit hex hash', () => {
    for (const bad of ['', 'abc', '000000000000000g', '00000000000000000']) {
      expect(() => hammingDistance(bad, '0000000000000000')).toThrow(RangeError);
    }
  });

  it('calls near-duplicate up to the threshold and not beyond', () => {
    const base = '0000000000000000';
    const bits = (count: number) => (2n ** BigInt(count) - 1n).toString(16).padStart(16, '0');
    expect(isNearDuplicate(base, bits(NEAR_DUPLICATE_DISTANCE))).toBe(true);
    expect(isNearDuplicate(base, bits(NEAR_DUPLICATE_DISTANCE + 1))).toBe(false);
  });
});

describe('findDuplicatePhoto', () => {
  const earlier = [
    { id: 'far', sha256: 'a', perceptualHash: 'ffffffffffffffff' },
    { id: 'near', sha256: 'b', perceptualHash: '000000000000003f' },
    { id: 'nearer', sha256: 'c', perceptualHash: '0000000000000003' },
  ];

  it('prefers the same file, then the nearest picture within the threshold', () => {
    expect(
      findDuplicatePhoto({ sha256: 'a', perceptualHash: '0000000000000000' }, earlier),
    ).toEqual({ kind: 'same_file', photo: earlier[0], distance: 0 });
    expect(
      findDuplicatePhoto({ sha256: 'new', perceptualHash: '0000000000000000' }, earlier),
    ).toEqual({ kind: 'near_duplicate', photo: earlier[2], distance: 2 });
    expect(
      findDuplicatePhoto({ sha256: 'new', perceptualHash: '00ff00ff00ff00ff' }, earlier),
    ).toBeNull();
    expect(
      findDuplicatePhoto({ sha256: 'new', perceptualHash: '0000000000000000' }, []),
    ).toBeNull();
  });
});

describe('differenceHash', () => {
  it('sets a bit where a sample is brighter than its right neighbour', () => {
    const falling = Uint8Array.from({ length: 72 }, (_, index) => 255 - (index % 9) * 20);
    const rising = Uint8Array.from({ length: 72 }, (_, index) => (index % 9) * 20);
    expect(differenceHash(falling)).toBe('ffffffffffffffff');
    expect(differenceHash(rising)).toBe('0000000000000000');
    const firstRowFalls = Uint8Array.from(rising);
    firstRowFalls.set([9, 8, 7, 6, 5, 4, 3, 2, 1], 0);
    expect(differenceHash(firstRowFalls)).toBe('ff00000000000000');
    expect(() => differenceHash(new Uint8Array(64))).toThrow(RangeError);
  });
});

describe('exifDateTimeToIso', () => {
  it('places the camera clock with its offset tag', () => {
    expect(exifDateTimeToIso('2024:05:06 14:30:00', '+02:00', 'UTC')).toBe(
      '2024-05-06T12:30:00.000Z',
    );
    expect(exifDateTimeToIso('2024:05:06 14:30:00', '-05:30', 'Europe/Brussels')).toBe(
      '2024-05-06T20:00:00.000Z',
    );
  });

  it('reads a clock without offset in the given zone, summer and winter time alike', () => {
    expect(exifDateTimeToIso('2024:07:01 14:30:00', undefined, 'Europe/Brussels')).toBe(
      '2024-07-01T12:30:00.000Z',
    );
    expect(exifDateTimeToIso('2024:01:15 14:30:00', null, 'Europe/Brussels')).toBe(
      '2024-01-15T13:30:00.000Z',
    );
    expect(exifDateTimeToIso('2024:01:15 14:30:00', 'garbage', 'UTC')).toBe(
      '2024-01-15T14:30:00.000Z',
    );
    // 02:30 on 31 March 2024 did not exist in Brussels; any nearby instant will do.
    const springGap = exifDateTimeToIso('2024:03:31 02:30:00', null, 'Europe/Brussels');
    expect(
      Math.abs(Date.parse(springGap!) - Date.parse('2024-03-31T01:00:00Z')),
    ).toBeLessThanOrEqual(3_600_000);
  });

  it('gives null for blank, impossible or missing values', () => {
    for (const value of [
      '0000:00:00 00:00:00',
      '2024:02:30 10:00:00',
      '2024:05:06 25:00:00',
      '',
      '    ',
      'yesterday',
      20240506,
      undefined,
      null,
    ]) {
      expect(exifDateTimeToIso(value, null, 'UTC')).toBeNull();
    }
  });
});

describe('exifCoordinate', () => {
  it('keeps a real position and drops absent, impossible or no-fix ones', () => {
    expect(exifCoordinate(50.85, 4.35)).toEqual({ latitude: 50.85, longitude: 4.35 });
    expect(exifCoordinate(-33.9, -70.6)).toEqual({ latitude: -33.9, longitude: -70.6 });
    expect(exifCoordinate(0, 0)).toBeNull();
    expect(exifCoordinate(undefined, undefined)).toBeNull();
    expect(exifCoordinate(Number.NaN, 4)).toBeNull();
    expect(exifCoordinate(91, 4)).toBeNull();
  });
});
