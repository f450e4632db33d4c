import { describe, expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/backends.js';
import { createMunicipality, municipalityInput } from '../../../test/support/factories.js';
import { useServiceContext } from '../../../test/support/storage-context.js';
import { DomainError } from '../../shared/errors.js';
import * as tenancy from './tenancy.service.js';

const square: [number, number][] = [
  [5.4, 51.2],
  [5.5, 51.2],
  [5.5, 51.3],
  [5.4, 51.3],
  [5.4, 51.2],
];

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describeEachBackend('tenancy service', (backend) => {
  const t = useServiceContext(backend);

  it('creates a municipality in a default region and reads it back', async () => {
    const created = await createMunicipality(t.ctx, {
      slug: 'pelt',
      boundary: { type: 'Polygon', coordinates: [square] },
    });
    expect(created).toMatchObject({ slug: 'pelt', hasBoundary: true, pointValueCents: 1 });
    expect(created.id).toMatch(/^mun_[0-9a-z]{26}$/);
    expect(created.createdAt).toBe('2026-12-01T09:00:00.000Z');
    expect(await tenancy.getRegion(t.ctx)).toMatchObject({ slug: 'region', demo: false });
    expect(await tenancy.getMunicipality(t.ctx, 'pelt')).toEqual(created);
    expect((await tenancy.listMunicipalities(t.ctx)).map((m) => m.slug)).toEqual(['pelt']);
  });

  it('rejects invalid input and a taken slug or NIS code, changing nothing', async () => {
    await createMunicipality(t.ctx, { slug: 'lommel', nisCode: '72020' });
    expect(
      await codeOf(tenancy.createMunicipality(t.ctx, municipalityInput({ slug: 'X y' }))),
    ).toBe('invalid_input');
    expect(await codeOf(createMunicipality(t.ctx, { slug: 'lommel' }))).toBe(
      'municipality_slug_taken',
    );
    expect(await codeOf(createMunicipality(t.ctx, { nisCode: '72020' }))).toBe(
      'municipality_nis_code_taken',
    );
    expect(await tenancy.listMunicipalities(t.ctx)).toHaveLength(1);
  });

  it('lets exactly one of many concurrent creates of one slug win', async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        createMunicipality(t.ctx, { slug: 'hamont-achel', nisCode: null }),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const attempt of attempts) {
      if (attempt.status === 'rejected') {
        expect((attempt.reason as DomainError).code).toBe('municipality_slug_taken');
      }
    }
    expect(await tenancy.listMunicipalities(t.ctx)).toHaveLength(1);
  });

  it('reports an unknown slug and an unconfigured region', async () => {
    expect(await codeOf(tenancy.getRegion(t.ctx))).toBe('region_not_configured');
    expect(await codeOf(tenancy.getMunicipality(t.ctx, 'nowhere'))).toBe('municipality_not_found');
  });

  it('upserts by slug, so a second run changes nothing', async () => {
    const input = municipalityInput({ slug: 'pelt' });
    const first = await tenancy.upsertMunicipality(t.ctx, input);
    const second = await tenancy.upsertMunicipality(t.ctx, { ...input, registeredHouseholds: 5 });
    expect(second.id).toBe(first.id);
    expect(second.registeredHouseholds).toBe(5);
    expect(await tenancy.listMunicipalities(t.ctx)).toHaveLength(1);
  });

  it('imports boundaries by NIS code or slug, all or nothing', async () => {
    await createMunicipality(t.ctx, { slug: 'pelt', nisCode: '72043' });
    await createMunicipality(t.ctx, { slug: 'lommel', nisCode: null });
    const feature = (properties: object, coordinates: unknown) => ({
      type: 'Feature',
      properties,
      geometry: { type: 'Polygon', coordinates },
    });

    const bad = {
      type: 'FeatureCollection',
      features: [
        feature({ nis: '72043' }, [square]),
        feature({ slug: 'lommel' }, [square.slice(0, 4)]),
      ],
    };
    expect(await codeOf(tenancy.importBoundaries(t.ctx, bad))).toBe('invalid_input');
    expect((await tenancy.getMunicipality(t.ctx, 'pelt')).boundary).toBeNull();

    const good = {
      type: 'FeatureCollection',
      features: [
        feature({ nis: '72043' }, [square]),
        feature({ slug: 'lommel' }, [square]),
        feature({ nis: '11111' }, [square.slice(0, 2)]),
      ],
    };
    expect(await tenancy.importBoundaries(t.ctx, good)).toEqual({
      updated: ['pelt', 'lommel'],
      unmatched: 1,
    });
    expect((await tenancy.getMunicipality(t.ctx, 'lommel')).boundary).toEqual({
      type: 'Polygon',
      coordinates: [square],
    });
    expect(await codeOf(tenancy.importBoundaries(t.ctx, { type: 'Feature' }))).toBe(
      'invalid_input',
    );
  });
});

describe('tenancy service without a database', () => {
  it('validates before touching storage', async () => {
    const ctx = {
      db: undefined as never,
      storage: undefined as never,
      clock: { now: () => new Date() },
      locale: 'en' as const,
      actor: { kind: 'public' as const },
    };
    expect(
      await codeOf(tenancy.createMunicipality(ctx, municipalityInput({ pointValueCents: 0 }))),
    ).toBe('invalid_input');
  });
});
