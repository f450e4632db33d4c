import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/backends.js';
import { createMunicipality } from '../../../test/support/factories.js';
import { squareRing } from '../../../test/support/polygons.js';
import { useServiceContext } from '../../../test/support/storage-context.js';
import { DomainError } from '../../shared/errors.js';
import { municipalityAt } from './routing.service.js';
import * as tenancy from './tenancy.service.js';

/** Routing through the service: outcomes, and a boundary change seen at once in this process. */

const square = squareRing;

describeEachBackend('municipalityAt', (backend) => {
  const t = useServiceContext(backend);
  const routed = async (lat: number, lon: number) => {
    try {
      return (await municipalityAt(t.ctx, lat, lon)).slug;
    } catch (error) {
      if (error instanceof DomainError) return error.code;
      throw error;
    }
  };

  it('routes a point to the municipality holding it, or says why not', async () => {
    expect(await routed(51.25, 5.45)).toBe('outside_region');
    const pelt = await createMunicipality(t.ctx, {
      slug: 'pelt',
      boundary: {
        type: 'Polygon',
        coordinates: [square(5.4, 51.2, 0.1), square(5.44, 51.24, 0.02)],
      },
    });
    // Created in this process: seen at once, hole included.
    expect(await municipalityAt(t.ctx, 51.21, 5.41)).toEqual({ id: pelt.id, slug: 'pelt' });
    expect(await routed(51.25, 5.45)).toBe('outside_region');
    expect(await routed(91, 5.45)).toBe('invalid_input');
    expect(await routed(51.25, Number.NaN)).toBe('invalid_input');

    await createMunicipality(t.ctx, {
      slug: 'lommel',
      nisCode: '72020',
      boundary: { type: 'Polygon', coordinates: [square(5.44, 51.24, 0.02)] },
    });
    expect(await routed(51.25, 5.45)).toBe('lommel');

    // Boundaries replaced by an import and by an upload: seen at once as well.
    await tenancy.importBoundaries(t.ctx, {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { slug: 'lommel' },
          geometry: { type: 'Polygon', coordinates: [square(5.3, 51.2, 0.05)] },
        },
      ],
    });
    expect(await routed(51.25, 5.45)).toBe('outside_region');
    expect(await routed(51.22, 5.32)).toBe('lommel');
    await tenancy.setMunicipalityBoundary(t.ctx, pelt.id, {
      type: 'Feature',
      properties: {},
      geometry: { type: 'Polygon', coordinates: [square(5.4, 51.2, 0.1)] },
    });
    expect(await routed(51.25, 5.45)).toBe('pelt');
  });
});
