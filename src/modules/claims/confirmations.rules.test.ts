import { describe, expect, it } from 'vitest';
import {
  CLOCK_SKEW_MS,
  confirmationKey,
  externalIdOf,
  mayConfirm,
  occurredAtOf,
} from './confirmations.rules.js';

describe('confirmation rules', () => {
  const terms = {
    verificationMethods: ['partner_confirmation' as const],
    earnedThrough: 'claims' as const,
    partnerId: null,
    partnerKind: 'charity' as const,
  };
  const charity = { id: 'ptn_a', kind: 'charity' as const };

  it('lets a partner of the kind confirm, or only the partner the activity names', () => {
    expect(mayConfirm(terms, charity)).toBe(true);
    expect(mayConfirm(terms, { id: 'ptn_b', kind: 'energy_provider' })).toBe(false);
    expect(mayConfirm({ ...terms, partnerId: 'ptn_a' }, charity)).toBe(true);
    expect(mayConfirm({ ...terms, partnerId: 'ptn_z' }, charity)).toBe(false);
    expect(mayConfirm({ ...terms, partnerKind: null }, charity)).toBe(false);
  });

  it('refuses activities without partner confirmation or earned through reports', () => {
    expect(mayConfirm({ ...terms, verificationMethods: ['site_code'] }, charity)).toBe(false);
    expect(mayConfirm({ ...terms, earnedThrough: 'reports' }, charity)).toBe(false);
  });

  it('keeps each partner’s ids apart in the external key', () => {
    const key = confirmationKey('ptn_a', 'shift:17');
    expect(key).toBe('confirm:ptn_a:shift:17');
    expect(externalIdOf('ptn_a', key)).toBe('shift:17');
    expect(externalIdOf('ptn_b', key)).toBeNull();
    expect(externalIdOf('ptn_a', 'client:res_x:abc')).toBeNull();
    expect(externalIdOf('ptn_a', null)).toBeNull();
  });

  it('takes a time a little ahead as now, and refuses one further ahead', () => {
    const now = new Date('2026-12-01T09:00:00Z');
    expect(occurredAtOf(undefined, now)).toEqual({ at: now.toISOString() });
    expect(occurredAtOf('2026-11-30T10:00:00+01:00', now)).toEqual({
      at: '2026-11-30T09:00:00.000Z',
    });
    const soon = new Date(now.getTime() + CLOCK_SKEW_MS).toISOString();
    expect(occurredAtOf(soon, now)).toEqual({ at: now.toISOString() });
    const later = new Date(now.getTime() + CLOCK_SKEW_MS + 1).toISOString();
    expect(occurredAtOf(later, now)).toEqual({ error: 'future' });
  });
});
