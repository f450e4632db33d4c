import { beforeAll, expect, it } from 'vitest';
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

  it('refuses bad input with exit 2 (usage) or 1 (conflict) and changes nothing', async () => {
    const count = async () =>
      JSON.parse((await civicpoints(['users', 'list', '--json'], env)).stdout).length;
    const before = await count();
    const cases: [string[], number, RegExp][] = [
      [['--municipality', 'bree', '--roles', 'king'], 2, /--roles takes/],
      [['--municipality', 'bree'], 2, /--roles is needed/],
      [['--operator', '--municipality', 'bree'], 2, /not both/],
      [[], 2, /--operator, or --municipality/],
      [['--operator', '--roles', 'admin'], 2, /no --roles/],
      [['--operator', '--locale', 'xx'], 2, /--locale/],
      [['--municipality', 'nowhere', '--roles', 'admin'], 1, /municipality/i],
    ];
    for (const [args, code, message] of cases) {
      const result = await civicpoints(
        ['users', 'invite', ...args, '--email', 'new@example.org', '--name', 'New'],
        env,
      );
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.stderr).toMatch(message);
    }
    const duplicate = await civicpoints(
      ['users', 'invite', '--operator', '--email', 'els@example.org', '--name', 'Again'],
      env,
    );
    expect(duplicate).toMatchObject({ code: 1 });
    expect(duplicate.stderr).toContain('user_exists');
    const badEmail = await civicpoints(
      ['users', 'invite', '--operator', '--email', 'not-an-address', '--name', 'X'],
      env,
    );
    expect(badEmail).toMatchObject({ code: 2 });
    expect(await count()).toBe(before);
  }, 180_000);
});
