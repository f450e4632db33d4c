import type { ActivityTerms } from '../../src/modules/catalog/catalog.types.js';

/** Activity terms for tests and benchmarks (no test runner needed). */

/** Terms of a simple self-declared activity worth 10 points, with `overrides`. */
export function activityTerms(overrides: Partial<ActivityTerms> = {}): ActivityTerms {
  return {
    names: {
      nl: 'Zwerfvuil rapen',
      fr: 'Ramasser des déchets',
      de: 'Müll sammeln',
      en: 'Pick up litter',
    },
    descriptions: { nl: '', fr: '', de: '', en: '' },
    category: 'community',
    points: { mode: 'fixed', points: 10 },
    verificationMethods: ['self_declared'],
    limits: [],
    cooldownSeconds: 0,
    validFrom: null,
    validUntil: null,
    budget: null,
    evidence: { photo: false, location: false, site: false },
    site: null,
    partnerKind: null,
    partnerId: null,
    impactKey: null,
    earnedThrough: 'claims',
    ...overrides,
  };
}
