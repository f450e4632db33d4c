import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  createMunicipality,
  getMunicipality,
  importBoundaries,
  listMunicipalities,
  setMunicipalityBoundary,
} from '../../modules/tenancy/tenancy.service.js';
import type { BoundaryGeometry } from '../../modules/tenancy/tenancy.types.js';
import type { Locale } from '../../shared/locales.js';
import { withOperatorContext } from '../context.js';
import { printTable, UsageError } from '../output.js';
import { localizedNames, type NameOptions, nameOptions } from './names.js';

interface CreateOptions extends NameOptions {
  slug: string;
  nis?: string;
  defaultLocale: string;
  households?: string;
  pointValueCents: string;
  pointsExpiryMonths?: string;
  boundary?: string;
}

export function registerMunicipality(program: Command) {
  const municipality = program
    .command('municipality')
    .alias('municipalities')
    .description('The municipalities of the region');

  nameOptions(
    municipality
      .command('create')
      .description('Add a municipality to the region')
      .requiredOption('--slug <slug>', 'short name used in URLs, e.g. "hamont-achel"'),
  )
    .option('--nis <code>', 'Statbel NIS code (5 digits)')
    .option('--default-locale <locale>', 'nl, fr, de or en', 'nl')
    .option('--households <count>', 'registered households (replaced by the register import)', '0')
    .option('--point-value-cents <cents>', 'what one point is worth, in euro cents', '1')
    .option(
      '--points-expiry-months <months>',
      'points expire this many months after earning (default: never)',
    )
    .option(
      '--boundary <file>',
      'GeoJSON file with a Polygon or MultiPolygon (or a Feature of one)',
    )
    .action(async (options: CreateOptions) => {
      const boundary = options.boundary ? await readGeometry(options.boundary) : null;
      const created = await withOperatorContext((ctx) =>
        createMunicipality(ctx, {
          slug: options.slug,
          nisCode: options.nis ?? null,
          names: localizedNames(options),
          defaultLocale: options.defaultLocale as Locale,
          // Number() keeps bad text as NaN so the service lists it with every other bad field.
          registeredHouseholds: Number(options.households ?? '0'),
          pointValueCents: Number(options.pointValueCents),
          pointsExpiryMonths:
            options.pointsExpiryMonths === undefined ? null : Number(options.pointsExpiryMonths),
          boundary,
        }),
      );
      process.stdout.write(`Created municipality "${created.slug}" (${created.id}).\n`);
    });

  municipality
    .command('list')
    .description('List the municipalities')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const items = await withOperatorContext((ctx) => listMunicipalities(ctx));
      if (options.json) {
        process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
        return;
      }
      if (items.length === 0) {
        process.stdout.write(
          'No municipalities yet. Add one with `civicpoints municipality create`.\n',
        );
        return;
      }
      printTable(
        ['SLUG', 'NIS', 'NAME (NL)', 'HOUSEHOLDS', 'POINT (CENTS)', 'BOUNDARY'],
        items.map((m) => [
          m.slug,
          m.nisCode ?? '-',
          m.names.nl,
          String(m.registeredHouseholds),
          String(m.pointValueCents),
          m.hasBoundary ? 'yes' : 'no',
        ]),
      );
    });

  municipality
    .command('import-boundaries')
    .description(
      'Set boundaries from a GeoJSON FeatureCollection, matched by the `nis` or `slug` property',
    )
    .argument('<file>', 'GeoJSON FeatureCollection (WGS84)')
    .action(async (file: string) => {
      const collection = await readJson(file);
      const result = await withOperatorContext((ctx) => importBoundaries(ctx, collection));
      process.stdout.write(
        `Updated ${result.updated.length} boundar${result.updated.length === 1 ? 'y' : 'ies'}` +
          `${result.updated.length ? `: ${result.updated.join(', ')}` : ''}; ` +
          `${result.unmatched} feature(s) matched no municipality.\n`,
      );
    });

  municipality
    .command('boundary')
    .description(
      "Replace one municipality's boundary (checked: closed, simple rings, holes inside, sane size)",
    )
    .argument('<slug>', 'the municipality, e.g. "pelt"')
    .argument(
      '<file>',
      'GeoJSON (WGS84): a Polygon or MultiPolygon, or a Feature or one-Feature FeatureCollection',
    )
    .option('--json', 'print the summary as JSON')
    .action(async (slug: string, file: string, options: { json?: boolean }) => {
      const document = await readJson(file);
      const summary = await withOperatorContext(async (ctx) =>
        setMunicipalityBoundary(ctx, (await getMunicipality(ctx, slug)).id, document),
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify(summary)}\n`);
        return;
      }
      const [west, south, east, north] = summary.bbox;
      process.stdout.write(
        `Set the boundary of "${slug}": ${summary.type}, ${summary.polygons} polygon(s), ` +
          `${summary.holes} hole(s), ${summary.vertices} vertices, about ${summary.areaSquareKm} km², ` +
          `box ${west},${south} – ${east},${north}.\n`,
      );
    });
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not valid JSON`);
  }
}

async function readGeometry(file: string): Promise<BoundaryGeometry> {
  const value = (await readJson(file)) as { type?: string; geometry?: unknown };
  return (value?.type === 'Feature' ? value.geometry : value) as BoundaryGeometry;
}
