import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends.js';
import { civicpoints, databaseUrl } from '../support/cli.js';

/** `civicpoints municipalities boundary <slug> <file>`: sets a checked boundary, or says why not. */

const dir = mkdtempSync(path.join(tmpdir(), 'civicpoints-boundary-cli-'));
const write = (name: string, value: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};

describeEachBackend('civicpoints municipalities boundary', (backend) => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { DATABASE_URL: databaseUrl(await backend.freshDatabase()) };
    expect((await civicpoints(['migrate'], env)).code).toBe(0);
    const created = await civicpoints(
      ['municipality', 'create', '--slug', 'bree', '--name', 'Bree'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
  });

  it('sets a boundary from a Feature file and refuses a self-crossing one, changing nothing', async () => {
    const good = write(`${backend.name}-good.geojson`, {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [5.4, 51.2],
            [5.5, 51.2],
            [5.5, 51.3],
            [5.4, 51.3],
            [5.4, 51.2],
          ],
        ],
      },
    });
    const set = await civicpoints(['municipalities', 'boundary', 'bree', good, '--json'], env);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ type: 'Polygon', vertices: 5 });

    const crossing = write(`${backend.name}-crossing.geojson`, {
      type: 'Polygon',
      coordinates: [
        [
          [5.4, 51.2],
          [5.5, 51.3],
          [5.5, 51.2],
          [5.4, 51.28],
          [5.4, 51.2],
        ],
      ],
    });
    const refused = await civicpoints(['municipality', 'boundary', 'bree', crossing], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('(invalid_input)');
    expect(refused.stderr).toContain('crosses or touches');
    expect(refused.stderr).toContain('/coordinates/0/0');

    const unknown = await civicpoints(['municipality', 'boundary', 'nowhere', good], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('municipality_not_found');

    const list = JSON.parse((await civicpoints(['municipality', 'list', '--json'], env)).stdout);
    expect(list).toEqual([expect.objectContaining({ slug: 'bree', hasBoundary: true })]);
  });
});
