import type { Actor, ServiceContext } from './context.js';
import { DomainError } from './errors.js';
import type { ApiKeyScope, PartnerRole, StaffRole } from './roles.js';

/**
 * The one policy layer: which actor may do what, where. Routes declare the permission they need
 * (`config.access`, checked before the handler runs, see src/http/auth.ts) and services check it
 * again with `authorize`, so a service called from elsewhere (CLI, jobs, another module) is held
 * to the same rule. Pure: no I/O.
 */

/** Permissions over one municipality's data, and the staff roles that hold them. */
export const MUNICIPAL_PERMISSIONS = {
  'municipality.settings': ['admin'],
  'staff.read': ['admin'],
  'staff.manage': ['admin'],
  'partners.read': ['admin', 'reviewer', 'finance', 'analyst'],
  'partners.manage': ['admin'],
  'residents.read': ['admin', 'reviewer', 'finance'],
  'residents.register': ['admin', 'reviewer'],
  'households.manage': ['admin'],
  'audit.read': ['admin'],
  'catalog.manage': ['admin'],
  'claims.read': ['admin', 'reviewer'],
  'claims.review': ['reviewer'],
  'claims.import': ['admin', 'reviewer'],
  'participation.read': ['admin', 'reviewer', 'finance', 'analyst'],
  'vouchers.read': ['admin', 'finance'],
  'settlement.manage': ['finance'],
  'liability.read': ['admin', 'finance', 'analyst'],
  'tasks.manage': ['admin', 'reviewer'],
  'tasks.review': ['reviewer'],
  'reports.read': ['admin', 'reviewer'],
  'reports.review': ['reviewer'],
  'webhooks.manage': ['admin'],
  'payouts.settings': ['admin', 'finance'],
  'payouts.read': ['admin', 'finance', 'analyst'],
  'payouts.approve': ['finance'],
} as const satisfies Record<string, readonly StaffRole[]>;
export type MunicipalPermission = keyof typeof MUNICIPAL_PERMISSIONS;

/** Permissions of a partner over its own organisation: by user role, or by API key scope. */
export const PARTNER_PERMISSIONS = {
  'partner.read': {
    roles: ['partner_admin', 'cashier', 'confirmer'],
    scopes: [
      'partner:read',
      'claims:confirm',
      'visits:import',
      'vouchers:redeem',
      'reports:submit',
    ],
  },
  'partner.manage': { roles: ['partner_admin'], scopes: [] },
  'claims.confirm': { roles: ['partner_admin', 'confirmer'], scopes: ['claims:confirm'] },
  'visits.import': { roles: ['partner_admin', 'confirmer'], scopes: ['visits:import'] },
  'vouchers.redeem': { roles: ['partner_admin', 'cashier'], scopes: ['vouchers:redeem'] },
  'reports.submit': { roles: [], scopes: ['reports:submit'] },
} as const satisfies Record<
  string,
  { roles: readonly PartnerRole[]; scopes: readonly ApiKeyScope[] }
>;
export type PartnerPermission = keyof typeof PARTNER_PERMISSIONS;

/** Region-wide permissions: operator admins only. */
export const REGION_PERMISSIONS = ['region.manage'] as const;
export type RegionPermission = (typeof REGION_PERMISSIONS)[number];

export type Permission = MunicipalPermission | PartnerPermission | RegionPermission;

/**
 * What a route requires: `public` (anyone), `resident` (a signed-in resident, their own data),
 * `session` (anyone with a session: resident or user, e.g. sign-out), `user` (a signed-in staff
 * member, operator or partner user, their own account), `development` (a development aid that
 * exists only outside production), or a permission.
 */
export type Access = 'public' | 'resident' | 'session' | 'user' | 'development' | Permission;

export type Decision = 'allow' | 'unauthenticated' | 'forbidden' | 'not_found';

export function isMunicipalPermission(access: string): access is MunicipalPermission {
  return Object.hasOwn(MUNICIPAL_PERMISSIONS, access);
}

export function isPartnerPermission(access: string): access is PartnerPermission {
  return Object.hasOwn(PARTNER_PERMISSIONS, access);
}

const SESSION_KINDS = new Set<Actor['kind']>(['resident', 'staff', 'operator', 'partner_user']);
const USER_KINDS = new Set<Actor['kind']>(['staff', 'operator', 'partner_user']);

/**
 * Whether `actor` has `access`; for a municipal permission, over the municipality with id
 * `municipalityId`. Staff of another municipality are told `not_found` — to them the other
 * municipality's objects do not exist — while a signed-in actor of the wrong kind or role is
 * `forbidden` and nobody signed in is `unauthenticated`.
 */
export function decide(actor: Actor, access: Access, municipalityId?: string): Decision {
  if (access === 'public' || access === 'development') return 'allow';
  if (actor.kind === 'operator_cli' || actor.kind === 'system') return 'allow';
  if (actor.kind === 'public') return 'unauthenticated';
  if (access === 'resident') return actor.kind === 'resident' ? 'allow' : 'forbidden';
  if (access === 'session') return SESSION_KINDS.has(actor.kind) ? 'allow' : 'forbidden';
  if (access === 'user') return USER_KINDS.has(actor.kind) ? 'allow' : 'forbidden';
  // Operators act for the whole region, but never as a partner (they have none).
  if (actor.kind === 'operator') return isPartnerPermission(access) ? 'forbidden' : 'allow';
  if (isMunicipalPermission(access)) {
    if (actor.kind !== 'staff') return 'forbidden';
    if (municipalityId === undefined || actor.municipalityId !== municipalityId) return 'not_found';
    const roles: readonly StaffRole[] = MUNICIPAL_PERMISSIONS[access];
    return actor.roles.some((role) => roles.includes(role)) ? 'allow' : 'forbidden';
  }
  if (isPartnerPermission(access)) {
    const rule = PARTNER_PERMISSIONS[access];
    if (actor.kind === 'partner_user') {
      const roles: readonly PartnerRole[] = rule.roles;
      return actor.roles.some((role) => roles.includes(role)) ? 'allow' : 'forbidden';
    }
    if (actor.kind === 'api_key') {
      const scopes: readonly ApiKeyScope[] = rule.scopes;
      return actor.scopes.some((scope) => scopes.includes(scope)) ? 'allow' : 'forbidden';
    }
    return 'forbidden';
  }
  return 'forbidden';
}

/** The error for a decision other than `allow`. */
export function refusal(decision: Exclude<Decision, 'allow'>): DomainError {
  switch (decision) {
    case 'unauthenticated':
      return new DomainError('not_signed_in', 'unauthenticated', 'Sign in first.');
    case 'not_found':
      return new DomainError('not_found', 'not_found', 'There is nothing here.');
    case 'forbidden':
      return new DomainError(
        'permission_denied',
        'forbidden',
        'Your account may not do this here.',
      );
  }
}

/**
 * Throws unless the context's actor has `access` (over `municipalityId` for a municipal
 * permission). Outcomes: nothing; `not_signed_in`; `permission_denied`; `not_found`.
 */
export function authorize(ctx: ServiceContext, access: Access, municipalityId?: string): void {
  const decision = decide(ctx.actor, access, municipalityId);
  if (decision !== 'allow') throw refusal(decision);
}

/** The municipality an actor belongs to, if any (operators and the CLI belong to none). */
export function actorMunicipalityId(actor: Actor): string | undefined {
  return 'municipalityId' in actor ? actor.municipalityId : undefined;
}

/** The id an actor is recorded under in the audit log, and the roles they acted with. */
export function actorIdentity(actor: Actor): { kind: string; id: string; roles: string[] } {
  switch (actor.kind) {
    case 'public':
      return { kind: 'public', id: 'public', roles: [] };
    case 'system':
      return { kind: 'system', id: actor.name, roles: [] };
    case 'operator_cli':
      return { kind: 'operator_cli', id: 'cli', roles: [] };
    case 'resident':
      return { kind: 'resident', id: actor.residentId, roles: [] };
    case 'staff':
      return { kind: 'staff', id: actor.userId, roles: [...actor.roles] };
    case 'operator':
      return { kind: 'operator', id: actor.userId, roles: ['operator'] };
    case 'partner_user':
      return { kind: 'partner_user', id: actor.userId, roles: [...actor.roles] };
    case 'api_key':
      return { kind: 'api_key', id: actor.keyId, roles: [...actor.scopes] };
  }
}
