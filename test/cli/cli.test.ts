import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends.js';
import { civicpoints, databaseUrl } from '../support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'civicpoints-cli-'));
const square = [
  [5.4, 51.2],
  [5.5, 51.2],
  [5.5, 51.3],
  [5.4, 51.3],
  [5.4, 51.2],
];

describeEachBackend('civicpoints CLI', (backend) => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { DATABASE_URL: databaseUrl(await backend.freshDatabase()) };
  });

  it('migrates, creates, lists and imports boundaries', async () => {
    const migrated = await civicpoints(['migrate'], env);
    expect(migrated).toMatchObject({ code: 0 });
    expect(migrated.stdout).toContain('0001-create-tenancy');
    expect((await civicpoints(['migrate'], env)).stdout).toContain('up to date');

    const created = await civicpoints(
      [
        'municipality',
        'create',
        '--slug',
        'bree',
        '--name',
        'Bree',
        '--nis',
        '72004',
        '--households',
        '6800',
      ],
      env,
    );
    expect(created.stderr).toBe('');
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toMatch(/Created municipality "bree" \(mun_[0-9a-z]{26}\)/);

    const table = await civicpoints(['municipality', 'list'], env);
    expect(table.stdout).toMatch(/bree\s+72004\s+Bree\s+6800\s+1\s+no/);

    const file = path.join(dir, `${backend.name}-boundaries.geojson`);
    writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { nis: '72004' },
            geometry: { type: 'Polygon', coordinates: [square] },
          },
        ],
      }),
    );
    const imported = await civicpoints(['municipality', 'import-boundaries', file], env);
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stdout).toContain('Updated 1 boundary: bree');

    const json = JSON.parse((await civicpoints(['municipality', 'list', '--json'], env)).stdout);
    expect(json).toEqual([
      expect.objectContaining({ slug: 'bree', hasBoundary: true, registeredHouseholds: 6800 }),
    ]);
  });

  it('rejects bad input with every problem on standard error, exit 2 and no change', async () => {
    const bad = await civicpoints(
      [
        'municipality',
        'create',
        '--slug',
        'Bad Slug',
        '--name',
        'X',
        '--nis',
        '12',
        '--households',
        'many',
      ],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('(invalid_input)');
    for (const field of ['slug', 'nisCode', 'registeredHouseholds'])
      expect(bad.stderr).toContain(`- ${field}:`);

    const taken = await civicpoints(
      ['municipality', 'create', '--slug', 'bree', '--name', 'Bree'],
      env,
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('municipality_slug_taken');

    const broken = path.join(dir, 'broken.geojson');
    writeFileSync(broken, '{"type": "FeatureCollection", ');
    const notJson = await civicpoints(['municipality', 'import-boundaries', broken], env);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('not valid JSON');

    const list = JSON.parse((await civicpoints(['municipality', 'list', '--json'], env)).stdout);
    expect(list.map((m: { slug: string }) => m.slug)).toEqual(['bree']);
  });

  it('refuses to seed the demo into a real region', async () => {
    const result = await civicpoints(['seed', '--demo'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('seed_demo_on_live_region');
  });
});

describe('civicpoints CLI without a database', () => {
  it('seeds the demo region, twice without change', async () => {
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'demo.db')}` };
    expect((await civicpoints(['seed', '--demo'], env)).stdout).toContain(
      'Seeded the demo region: Pelt, Lommel, Hamont-Achel.',
    );
    expect((await civicpoints(['seed', '--demo'], env)).code).toBe(0);
    const list = JSON.parse((await civicpoints(['municipality', 'list', '--json'], env)).stdout);
    expect(list.map((m: { slug: string }) => m.slug)).toEqual(['hamont-achel', 'lommel', 'pelt']);
  });

  it('prints help for the program and every command', async () => {
    const main = await civicpoints(['--help']);
    expect(main.code).toBe(0);
    for (const command of ['serve', 'migrate', 'seed', 'region', 'municipality']) {
      expect(main.stdout).toContain(command);
    }
    for (const args of [
      ['serve'],
      ['migrate'],
      ['seed'],
      ['region', 'set'],
      ['municipality', 'create'],
      ['municipality', 'list'],
      ['municipality', 'import-boundaries'],
    ]) {
      const help = await civicpoints([...args, '--help']);
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.stdout, args.join(' ')).toContain('Usage: civicpoints');
    }
  });

  it('fails clearly on unknown commands, missing arguments and bad configuration', async () => {
    const unknown = await civicpoints(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");

    const missing = await civicpoints(['municipality', 'create']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--slug');

    const noDemo = await civicpoints(['seed']);
    expect(noDemo.code).toBe(2);

    const config = await civicpoints(['municipality', 'list'], {
      PORT: 'x',
      DATABASE_URL: 'mysql://db',
    });
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('PORT');
    expect(config.stderr).toContain('DATABASE_URL');
  });
});
