import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metersBetween, projectClaimScene } from '../../web/src/areas/staff/earning/claimMap.js';
import { formatDistance, pointsFor } from '../../web/src/areas/staff/earning/earningFormat.js';
import {
  type KeyFacts,
  neighbour,
  nextAfterDecision,
  reviewKeyAction,
} from '../../web/src/areas/staff/earning/reviewKeys.js';

// The review queue's pure parts: its keys, where it goes after a decision, the small map
// without tiles, and the numbers it shows.

const press = (key: string, target: Partial<KeyFacts['target']> = {}, mods = {}): KeyFacts => ({
  key,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  ...mods,
  target: { tagName: 'BODY', ...target },
});

describe('the review keys', () => {
  it('maps j/k, the arrows, a and r', () => {
    expect(reviewKeyAction(press('j'))).toBe('next');
    expect(reviewKeyAction(press('ArrowDown'))).toBe('next');
    expect(reviewKeyAction(press('k'))).toBe('previous');
    expect(reviewKeyAction(press('ArrowUp'))).toBe('previous');
    expect(reviewKeyAction(press('a'))).toBe('approve');
    expect(reviewKeyAction(press('R'))).toBe('reject');
    expect(reviewKeyAction(press('x'))).toBeNull();
  });

  it('leaves keys alone where they mean something else', () => {
    expect(reviewKeyAction(press('a', { tagName: 'TEXTAREA' }))).toBeNull();
    expect(reviewKeyAction(press('a', { tagName: 'INPUT', type: 'text' }))).toBeNull();
    expect(reviewKeyAction(press('a', { tagName: 'INPUT' }))).toBeNull();
    expect(reviewKeyAction(press('ArrowDown', { tagName: 'SELECT' }))).toBeNull();
    expect(reviewKeyAction(press('ArrowDown', { tagName: 'INPUT', type: 'radio' }))).toBeNull();
    expect(reviewKeyAction(press('j', { tagName: 'DIV', isContentEditable: true }))).toBeNull();
    expect(reviewKeyAction(press('r', { tagName: 'BUTTON', inDialog: true }))).toBeNull();
    expect(reviewKeyAction(press('a', {}, { ctrlKey: true }))).toBeNull();
    expect(reviewKeyAction(press('r', {}, { metaKey: true }))).toBeNull();
    // A row's checkbox or a button keeps the queue's keys.
    expect(reviewKeyAction(press('a', { tagName: 'INPUT', type: 'checkbox' }))).toBe('approve');
    expect(reviewKeyAction(press('j', { tagName: 'BUTTON' }))).toBe('next');
  });

  it('moves within the list and stops at its ends', () => {
    const ids = ['a', 'b', 'c'];
    expect(neighbour(ids, 'a', 1)).toBe('b');
    expect(neighbour(ids, 'c', 1)).toBe('c');
    expect(neighbour(ids, 'a', -1)).toBe('a');
    expect(neighbour(ids, 'elsewhere', 1)).toBe('a');
    expect(neighbour([], null, 1)).toBeNull();
  });

  it('opens the claim that took the decided one’s place, or the one before the last', () => {
    expect(nextAfterDecision(['a', 'b', 'c'], 'a')).toBe('b');
    expect(nextAfterDecision(['a', 'b', 'c'], 'b')).toBe('c');
    expect(nextAfterDecision(['a', 'b', 'c'], 'c')).toBe('b');
    expect(nextAfterDecision(['a'], 'a')).toBeNull();
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 1 }), fc.nat(), (ids, pick) => {
        const decided = ids[pick % ids.length]!;
        const next = nextAfterDecision(ids, decided);
        if (ids.length === 1) expect(next).toBeNull();
        else expect(ids.filter((id) => id !== decided)).toContain(next);
      }),
    );
  });
});

describe('the claim map', () => {
  const square = {
    type: 'Polygon' as const,
    coordinates: [
      [
        [5.4, 51.2],
        [5.5, 51.2],
        [5.5, 51.3],
        [5.4, 51.3],
        [5.4, 51.2],
      ],
    ],
  };

  it('draws the outline, the claim and the site in one box, north up', () => {
    const scene = projectClaimScene(
      square,
      { latitude: 51.29, longitude: 5.41 },
      { latitude: 51.21, longitude: 5.49, radiusMeters: 1000 },
      400,
      0,
    )!;
    expect(scene.outline).toMatch(/^M/);
    expect(scene.height).toBe(400);
    expect(scene.width).toBeCloseTo(400 * Math.cos((51.25 * Math.PI) / 180), 0);
    expect(scene.claim!.y).toBeLessThan(scene.site!.y);
    expect(scene.claim!.x).toBeLessThan(scene.site!.x);
    // 1000 m is about 0.009° of latitude: 36 of the 400 units that 0.1° takes.
    expect(scene.site!.r).toBeCloseTo(35.9, 0);
  });

  it('keeps a claim made far away inside the box', () => {
    const scene = projectClaimScene(square, { latitude: 50.8, longitude: 4.35 }, null, 400, 10)!;
    for (const value of [scene.claim!.x, scene.claim!.y]) {
      expect(value).toBeGreaterThanOrEqual(10);
    }
    expect(scene.claim!.x).toBeLessThanOrEqual(scene.width - 10);
    expect(scene.claim!.y).toBeLessThanOrEqual(scene.height - 10);
  });

  it('gives a lone point room around it, and draws nothing without anything', () => {
    const lone = projectClaimScene(null, { latitude: 51.2, longitude: 5.4 }, null, 400, 0)!;
    expect(lone.outline).toBeNull();
    expect(lone.claim).toEqual({ x: 200, y: 200 });
    expect(projectClaimScene(null, null, null)).toBeNull();
  });

  it('measures distances on the ground', () => {
    // One degree of latitude is about 111 km.
    expect(
      metersBetween({ latitude: 51, longitude: 5 }, { latitude: 52, longitude: 5 }),
    ).toBeCloseTo(111_195, -2);
  });
});

describe('the numbers of the queue', () => {
  it('says distances in metres or kilometres in the reader’s language', () => {
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    expect(plain(formatDistance(850, 'en'))).toBe('850 m');
    expect(plain(formatDistance(2400, 'en'))).toBe('2.4 km');
    expect(plain(formatDistance(2400, 'nl'))).toBe('2,4 km');
    expect(plain(formatDistance(42_000, 'fr'))).toBe('42 km');
  });

  it('computes points as the API does', () => {
    const perKg = {
      mode: 'per_unit' as const,
      unit: 'kg' as const,
      pointsPerUnit: 3,
      maxPointsPerClaim: 100,
    };
    expect(pointsFor(perKg, 2.5)).toBe(7);
    expect(pointsFor(perKg, 0.333)).toBe(0);
    expect(pointsFor(perKg, 50)).toBe(100);
    expect(pointsFor({ mode: 'fixed', points: 25 }, 7)).toBe(25);
  });
});
