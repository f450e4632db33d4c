import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Activity, ActivityTerms } from '../catalog/catalog.types.js';
import {
  partnerSends,
  SeenKeys,
  streamActivities,
  visitInstant,
  visitKey,
} from './visit-imports.rules.js';

describe('SeenKeys', () => {
  it('answers the first line of every key added and 0 for the others, however many', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 40 }), {
          minLength: 1,
          maxLength: 3000,
        }),
        fc.array(fc.string({ maxLength: 40 }), { maxLength: 200 }),
        (keys, others) => {
          const seen = new SeenKeys();
          for (const [index, key] of keys.entries()) seen.add(key, index + 2);
          // Adding again keeps the first line.
          for (const key of keys) seen.add(key, 999_999);
          expect(seen.size).toBe(keys.length);
          for (const [index, key] of keys.entries()) expect(seen.lineOf(key)).toBe(index + 2);
          const known = new Set(keys);
          for (const other of others) if (!known.has(other)) expect(seen.lineOf(other)).toBe(0);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('keeps a million visit keys apart', () => {
    const seen = new SeenKeys();
    for (let i = 0; i < 1_000_000; i++) seen.add(visitKey('ptn_1', `V-${i}`, 'paper'), i + 2);
    expect(seen.size).toBe(1_000_000);
    expect(seen.lineOf(visitKey('ptn_1', 'V-123456', 'paper'))).toBe(123_458);
    expect(seen.lineOf(visitKey('ptn_1', 'V-123456', 'glass'))).toBe(0);
  });
});

describe('visitInstant', () => {
  it('starts a date at midnight in Brussels, in summer and winter time', () => {
    expect(visitInstant('2025-07-01')).toBe('2025-06-30T22:00:00.000Z');
    expect(visitInstant('2025-01-15')).toBe('2025-01-14T23:00:00.000Z');
    expect(visitInstant('2025-03-30')).toBe('2025-03-29T23:00:00.000Z');
  });

  it('keeps a time as it is', () => {
    expect(visitInstant('2025-05-31T12:30:00.000Z')).toBe('2025-05-31T12:30:00.000Z');
  });
});

describe('streamActivities', () => {
  const partner = { id: 'ptn_a', kind: 'recycling_centre' as const };
  const activity = (
    code: string,
    terms: Partial<ActivityTerms>,
    status: Activity['status'] = 'active',
  ): Activity =>
    ({
      id: `act_${code}`,
      code,
      status,
      current: {
        verificationMethods: ['import'],
        partnerKind: 'recycling_centre',
        partnerId: null,
        impactKey: 'paper',
        ...terms,
      },
    }) as unknown as Activity;

  it('names the activity of a stream this partner may send', () => {
    expect(partnerSends(activity('a', {}), partner)).toBe(true);
    expect(partnerSends(activity('a', { verificationMethods: ['staff_review'] }), partner)).toBe(
      false,
    );
    expect(partnerSends(activity('a', { partnerKind: 'merchant' }), partner)).toBe(false);
    expect(partnerSends(activity('a', { partnerId: 'ptn_b' }), partner)).toBe(false);
    expect(partnerSends(activity('a', { partnerId: 'ptn_a', partnerKind: null }), partner)).toBe(
      true,
    );
  });

  it('prefers an active activity, then one naming the partner, then the lowest code', () => {
    const chosen = (list: Activity[]) => streamActivities(list, partner).get('paper')?.code;
    expect(chosen([activity('old', {}, 'archived'), activity('new', {})])).toBe('new');
    expect(chosen([activity('kind', {}), activity('own', { partnerId: 'ptn_a' })])).toBe('own');
    expect(chosen([activity('b', {}), activity('a', {})])).toBe('a');
    expect(chosen([activity('old', {}, 'archived')])).toBe('old');
    expect(chosen([activity('other', { impactKey: 'glass' })])).toBeUndefined();
  });
});
