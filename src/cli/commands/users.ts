import type { Command } from 'commander';
import type { User } from '../../modules/identity/identity.types.js';
import { inviteUser, listAllUsers } from '../../modules/identity/users.service.js';
import { findLatestEmailTo } from '../../modules/notifications/notifications.service.js';
import { getMunicipality, listMunicipalities } from '../../modules/tenancy/tenancy.service.js';
import { isLocale, type Locale } from '../../shared/locales.js';
import { STAFF_ROLES, type StaffRole } from '../../shared/roles.js';
import { withOperatorContext } from '../context.js';
import { printTable, UsageError } from '../output.js';

interface InviteOptions {
  operator?: boolean;
  municipality?: string;
  roles?: string;
  email: string;
  name: string;
  locale?: string;
}

/** The address sign-in links count against when the command line asks for one. */
const CLI_ADDRESS = 'cli';

export function registerUsers(program: Command) {
  const users = program
    .command('users')
    .description('Staff, operator admins and partner users (sign in at PUBLIC_URL/work/sign-in)');

  users
    .command('invite')
    .description(
      "Invite an operator admin (--operator) or a municipality's staff member (--municipality, --roles); emails the invitation",
    )
    .option('--operator', 'an operator admin of the whole region')
    .option('--municipality <slug>', 'the municipality the staff member works for')
    .option('--roles <list>', `comma-separated staff roles: ${STAFF_ROLES.join(', ')}`)
    .requiredOption('--email <address>', 'where the invitation goes')
    .requiredOption('--name <name>', 'the name shown to colleagues and in the audit log')
    .option('--locale <locale>', "the invitation's language: nl, fr, de or en")
    .action(async (options: InviteOptions) => {
      const target = inviteTarget(options);
      if (options.locale !== undefined && !isLocale(options.locale)) {
        throw new UsageError('--locale is one of nl, fr, de, en');
      }
      const result = await withOperatorContext(async (ctx, _storage, config) => {
        const municipality =
          target.kind === 'staff' ? await getMunicipality(ctx, target.slug) : undefined;
        const locale: Locale =
          (options.locale as Locale | undefined) ?? municipality?.defaultLocale ?? 'nl';
        const user = await inviteUser(
          ctx,
          municipality && target.kind === 'staff'
            ? { kind: 'staff', municipalityId: municipality.id, roles: target.roles }
            : { kind: 'operator' },
          {
            email: options.email,
            displayName: options.name,
            locale,
            publicUrl: config.publicUrl,
            ip: CLI_ADDRESS,
            organisation: municipality?.names[locale] ?? 'CivicPoints',
          },
        );
        // Without SMTP nobody receives the email; the operator at the console may pass the link on.
        const link = config.smtpUrl
          ? null
          : (/\S+\/work\/sign-in#token=[\w-]+/.exec(
              (await findLatestEmailTo(ctx, user.email))?.bodyText ?? '',
            )?.[0] ?? null);
        return { user, link };
      });
      const { user, link } = result;
      const as =
        user.kind === 'operator'
          ? 'operator admin'
          : `${user.roles.join(', ')} of ${options.municipality}`;
      process.stdout.write(`Invited ${user.email} as ${as} (${user.id}).\n`);
      process.stdout.write(
        link
          ? `No SMTP_URL is set, so the email waits in the outbox. The invitation link (7 days):\n${link}\n`
          : 'The invitation was emailed; its link works for 7 days.\n',
      );
    });

  users
    .command('list')
    .description('List the users of the region, or of one municipality (staff and partner users)')
    .option('--municipality <slug>', 'only this municipality')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { municipality?: string; json?: boolean }) => {
      const { items, slugs } = await withOperatorContext(async (ctx) => {
        const municipalities = await listMunicipalities(ctx);
        const municipality = options.municipality
          ? await getMunicipality(ctx, options.municipality)
          : undefined;
        const list = await listAllUsers(
          ctx,
          municipality ? { municipalityId: municipality.id } : {},
        );
        return { items: list, slugs: new Map(municipalities.map((m) => [m.id, m.slug])) };
      });
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify(
            items.map((u) => ({ ...u, invitedBy: undefined })),
            null,
            2,
          )}\n`,
        );
        return;
      }
      if (items.length === 0) {
        process.stdout.write('No users yet. Invite one with `civicpoints users invite`.\n');
        return;
      }
      printTable(
        ['ID', 'KIND', 'MUNICIPALITY', 'EMAIL', 'NAME', 'ROLES', 'STATUS'],
        items.map((u: User) => [
          u.id,
          u.kind,
          u.municipalityId === null ? '-' : (slugs.get(u.municipalityId) ?? u.municipalityId),
          u.email,
          u.displayName,
          u.roles.join(','),
          u.status,
        ]),
      );
    });
}

function inviteTarget(
  options: InviteOptions,
): { kind: 'operator' } | { kind: 'staff'; slug: string; roles: StaffRole[] } {
  if (options.operator && options.municipality) {
    throw new UsageError('give --operator or --municipality, not both');
  }
  if (options.operator) {
    if (options.roles !== undefined) throw new UsageError('operator admins have no --roles');
    return { kind: 'operator' };
  }
  if (!options.municipality) {
    throw new UsageError('say who: --operator, or --municipality SLUG --roles admin,reviewer');
  }
  if (!options.roles) throw new UsageError(`--roles is needed: ${STAFF_ROLES.join(', ')}`);
  const roles = options.roles
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const wrong = roles.filter((r) => !(STAFF_ROLES as readonly string[]).includes(r));
  if (roles.length === 0 || wrong.length > 0) {
    throw new UsageError(
      `--roles takes ${STAFF_ROLES.join(', ')}; not ${wrong.join(', ') || 'nothing'}`,
    );
  }
  return { kind: 'staff', slug: options.municipality, roles: roles as StaffRole[] };
}
