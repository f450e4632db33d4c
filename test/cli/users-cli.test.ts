import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends.js';
import { civicpoints, databaseUrl } from '../support/cli.js';

// `civicpoints users`: how the first operator admin of a fresh deployment is made, how staff are
// invited from the command line, and the list of users.

describeEachBackend('civicpoints users', (backend) => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { DATABASE_URL: databaseUrl(await backend.freshDatabase()) };
    const created = await civicpoints(
      ['municipality', 'create', '--slug', 'bree', '--name', 'Bree', '--nis', '72004'],
      env,
    );
    expect(created).toMatchObject({ code: 0 });
  });

  it('invites the first operator admin and prints the id and, without SMTP, the link', async () => {
    const invited = await civicpoints(
      ['users', 'invite', '--operator', '--email', 'Els@Example.org', '--name', 'Els Op'],
      { ...env, PUBLIC_URL: 'https://points.example.org' },
    );
    expect(invited.stderr).toBe('');
    expect(invited).toMatchObject({ code: 0 });
    expect(invited.stdout).toMatch(
      /Invited els@example\.org as operator admin \(usr_[0-9a-z]{26}\)/,
    );
    expect(invited.stdout).toMatch(
      /https:\/\/points\.example\.org\/work\/sign-in#token=[A-Za-z0-9_-]{43}/,
    );
  }, 60_000);

  it('invites staff of a municipality with roles and lists them', async () => {
    const invited = await civicpoints(
      [
        'users',
        'invite',
        '--municipality',
        'bree',
        '--roles',
        'admin,reviewer',
        '--email',
        'jan@bree.example.be',
        '--name',
        'Jan Peeters',
      ],
      env,
    );
    expect(invited).toMatchObject({ code: 0 });
    const id = /\((usr_[0-9a-z]{26})\)/.exec(invited.stdout)?.[1];
    expect(id).toBeDefined();

    const table = await civicpoints(['users', 'list', '--municipality', 'bree'], env);
    expect(table).toMatchObject({ code: 0 });
    expect(table.stdout).toMatch(
      new RegExp(
        `${id}\\s+staff\\s+bree\\s+jan@bree\\.example\\.be\\s+Jan Peeters\\s+admin,reviewer\\s+invited`,
      ),
    );
    expect(table.stdout).not.toContain('els@example.org');

    const all = JSON.parse((await civicpoints(['users', 'list', '--json'], env)).stdout);
    expect(all.map((u: { email: string }) => u.email).sort()).toEqual([
      'els@example.org',
      'jan@bree.example.be',
    ]);
  }, 90_000);

  it('refuses a duplicate address, a bad address and an unknown municipality, changing nothing', async () => {
    const count = async () =>
      JSON.parse((await civicpoints(['users', 'list', '--json'], env)).stdout).length;
    const before = await count();
    const cases: [string[], number, RegExp][] = [
      [['--operator', '--email', 'els@example.org'], 1, /user_exists/],
      [['--operator', '--email', 'not-an-address'], 2, /email/],
      [
        ['--municipality', 'nowhere', '--roles', 'admin', '--email', 'new@example.org'],
        1,
        /municipality/i,
      ],
    ];
    for (const [args, code, message] of cases) {
      const result = await civicpoints(['users', 'invite', ...args, '--name', 'New'], env);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.stderr).toMatch(message);
    }
    expect(await count()).toBe(before);
  }, 120_000);
});

describe('civicpoints users: command-line mistakes', () => {
  it('says what is wrong with exit 2 before it opens any database', async () => {
    const cases: [string[], RegExp][] = [
      [['--municipality', 'bree', '--roles', 'king'], /--roles takes/],
      [['--municipality', 'bree'], /--roles is needed/],
      [['--operator', '--municipality', 'bree'], /not both/],
      [[], /--operator, or --municipality/],
      [['--operator', '--roles', 'admin'], /no --roles/],
      [['--operator', '--locale', 'xx'], /--locale/],
    ];
    // A database that cannot be opened: a usage mistake must be found before it is needed.
    const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    for (const [args, message] of cases) {
      const result = await civicpoints(
        ['users', 'invite', ...args, '--email', 'new@example.org', '--name', 'New'],
        env,
      );
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  }, 120_000);
});
