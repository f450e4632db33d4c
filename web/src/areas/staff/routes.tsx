import type { RouteObject } from 'react-router';
import { NotFoundPage } from '../../pages/NotFoundPage';
import { staffPartnerPages } from '../partners/partnerRoutes';
import { AuditLogPage } from './AuditLogPage';
import { DeskPage } from './DeskPage';
import { HouseholdRegisterPage } from './HouseholdRegisterPage';
import { OperatorsPage } from './OperatorsPage';
import { SettingsPage } from './SettingsPage';
import { StaffHome } from './StaffHome';
import { StaffImportsPage } from './StaffImportsPage';
import { StaffLayout } from './StaffLayout';
import { StaffUsersPage } from './StaffUsersPage';
import { WalletLookupPage } from './WalletLookupPage';

/**
 * The staff area's pages, inside StaffLayout (which gives them `useStaff()`: the user and the
 * municipality). Pages of other parts (partners, households, desk) add themselves here.
 */
export const staffPages: RouteObject[] = [
  { index: true, element: <StaffHome /> },
  { path: 'users', element: <StaffUsersPage /> },
  { path: 'wallets', element: <WalletLookupPage /> },
  { path: 'audit', element: <AuditLogPage /> },
  { path: 'households', element: <HouseholdRegisterPage /> },
  { path: 'desk', element: <DeskPage /> },
  ...staffPartnerPages,
  { path: 'imports', element: <StaffImportsPage /> },
  { path: 'operators', element: <OperatorsPage /> },
  { path: 'settings', element: <SettingsPage /> },
  { path: '*', element: <NotFoundPage /> },
];

export const staffRoute: RouteObject = {
  path: 'staff',
  element: <StaffLayout />,
  children: staffPages,
};
