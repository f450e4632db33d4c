import type { User } from '../../api/types';

/**
 * What each staff role may do, mirroring src/shared/policy.ts (the API decides; this only keeps
 * the navigation to what the API will allow). Operator admins may do everything here.
 */
export const STAFF_PERMISSIONS = {
  'municipality.settings': ['admin'],
  'staff.manage': ['admin'],
  'partners.read': ['admin', 'reviewer', 'finance', 'analyst'],
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
  'reports.read': ['admin', 'reviewer'],
  'reports.review': ['reviewer'],
  'tasks.manage': ['admin', 'reviewer'],
  'tasks.review': ['reviewer'],
  'payouts.settings': ['admin', 'finance'],
  'payouts.read': ['admin', 'finance', 'analyst'],
  'payouts.approve': ['finance'],
  'region.manage': [],
} as const satisfies Record<string, readonly string[]>;
export type StaffPermission = keyof typeof STAFF_PERMISSIONS;

/** Whether the user holds the permission (in their own municipality, for staff). */
export function can(user: Pick<User, 'kind' | 'roles'>, permission: StaffPermission): boolean {
  if (user.kind === 'operator') return true;
  if (user.kind !== 'staff') return false;
  const roles: readonly string[] = STAFF_PERMISSIONS[permission];
  return user.roles.some((role) => roles.includes(role));
}

/** The staff area's pages; each shows in the navigation only to those who may use it. */
export const STAFF_PAGES = [
  { key: 'overview', path: '/staff', permission: null },
  { key: 'dashboard', path: '/staff/dashboard', permission: 'participation.read' },
  { key: 'region', path: '/staff/region', permission: 'region.manage' },
  { key: 'users', path: '/staff/users', permission: 'staff.manage' },
  { key: 'partners', path: '/staff/partners', permission: 'partners.read' },
  { key: 'activities', path: '/staff/activities', permission: 'catalog.manage' },
  { key: 'rewards', path: '/staff/rewards', permission: 'catalog.manage' },
  { key: 'review', path: '/staff/review', permission: 'claims.read' },
  { key: 'imports', path: '/staff/imports', permission: 'claims.import' },
  { key: 'reports', path: '/staff/reports', permission: 'reports.read' },
  { key: 'tasks', path: '/staff/tasks', permission: 'tasks.manage' },
  { key: 'households', path: '/staff/households', permission: 'households.manage' },
  { key: 'desk', path: '/staff/desk', permission: 'residents.register' },
  { key: 'wallets', path: '/staff/wallets', permission: 'residents.read' },
  { key: 'finance', path: '/staff/finance', permission: 'vouchers.read' },
  { key: 'liability', path: '/staff/liability', permission: 'liability.read' },
  { key: 'payouts', path: '/staff/payouts', permission: 'payouts.read' },
  { key: 'audit', path: '/staff/audit', permission: 'audit.read' },
  { key: 'settings', path: '/staff/settings', permission: 'municipality.settings' },
  { key: 'operators', path: '/staff/operators', permission: 'region.manage' },
] as const satisfies readonly {
  key: string;
  path: string;
  permission: StaffPermission | null;
}[];
export type StaffPage = (typeof STAFF_PAGES)[number];

/** The pages this user may open, in navigation order. */
export function pagesFor(user: Pick<User, 'kind' | 'roles'>): StaffPage[] {
  return STAFF_PAGES.filter((page) => page.permission === null || can(user, page.permission));
}

/** The staff roles, in the order the pages list them. */
export const STAFF_ROLES = ['admin', 'reviewer', 'finance', 'analyst'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Every role a user or an audit entry can name (staff, operator, partner users). */
export type RoleName = StaffRole | 'operator' | 'partner_admin' | 'cashier' | 'confirmer';
