import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BoundaryGeometry } from '../modules/tenancy/tenancy.types.js';
import { packageRoot } from '../shared/package-info.js';

/**
 * The CC0 boundaries of the 581 Belgian municipalities shipped in assets/ (see assets/README.md),
 * read from the package, never from outside it.
 */

export interface BelgianMunicipality {
  nis: string;
  nameNl: string;
  nameFr: string;
  population: number;
  geometry: BoundaryGeometry;
}

export const BELGIAN_MUNICIPALITIES_FILE = path.join(
  packageRoot,
  'assets',
  'belgium-municipalities.geojson',
);

interface Feature {
  properties: { nis: string; name_nl: string; name_fr: string; population_2020: number };
  geometry: BoundaryGeometry;
}

/** Reads the municipalities with these NIS codes; throws if one is not in the file. */
export async function readBelgianMunicipalities(
  nisCodes: string[],
): Promise<BelgianMunicipality[]> {
  const collection = JSON.parse(await readFile(BELGIAN_MUNICIPALITIES_FILE, 'utf8')) as {
    features: Feature[];
  };
  const byNis = new Map(collection.features.map((f) => [f.properties.nis, f]));
  return nisCodes.map((nis) => {
    const feature = byNis.get(nis);
    if (!feature) throw new Error(`NIS code ${nis} is not in ${BELGIAN_MUNICIPALITIES_FILE}`);
    return {
      nis,
      nameNl: feature.properties.name_nl,
      nameFr: feature.properties.name_fr,
      population: feature.properties.population_2020,
      geometry: feature.geometry,
    };
  });
}
