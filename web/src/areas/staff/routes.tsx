import type { RouteObject } from 'react-router';
import { NotFoundPage } from '../../pages/NotFoundPage';
import { staffPartnerPages } from '../partners/partnerRoutes';
import { StaffReportsPage } from '../reports/StaffReportsPage';
import { StaffTasksPage } from '../tasks/StaffTasksPage';
import { AuditLogPage } from './AuditLogPage';
import { DashboardPage } from './DashboardPage';
import { DeskPage } from './DeskPage';
import { ActivitiesPage } from './earning/ActivitiesPage';
import { ActivityPage, NewActivityPage } from './earning/ActivityEditorPage';
import { ReviewPage } from './earning/ReviewPage';
import { HouseholdRegisterPage } from './HouseholdRegisterPage';
import { OperatorsPage } from './OperatorsPage';
import { StaffPayoutsPage } from './payouts/StaffPayoutsPage';
import { RegionPage } from './RegionPage';
import { SettingsPage } from './SettingsPage';
import { StaffHome } from './StaffHome';
import { StaffImportsPage } from './StaffImportsPage';
import { StaffLayout } from './StaffLayout';
import { StaffUsersPage } from './StaffUsersPage';
import { FinancePage } from './spending/FinancePage';
import { LiabilityPage } from './spending/LiabilityPage';
import { NewRewardPage, RewardPage } from './spending/RewardEditorPage';
import { RewardsPage } from './spending/RewardsPage';
import { StatementPage } from './spending/StatementPage';
import { WalletLookupPage } from './WalletLookupPage';

/**
 * The staff area's pages, inside StaffLayout (which gives them `useStaff()`: the user and the
 * municipality). Pages of other parts (partners, households, desk) add themselves here.
 */
export const staffPages: RouteObject[] = [
  { index: true, element: <StaffHome /> },
  { path: 'dashboard', element: <DashboardPage /> },
  { path: 'region', element: <RegionPage /> },
  { path: 'users', element: <StaffUsersPage /> },
  { path: 'wallets', element: <WalletLookupPage /> },
  { path: 'audit', element: <AuditLogPage /> },
  { path: 'households', element: <HouseholdRegisterPage /> },
  { path: 'desk', element: <DeskPage /> },
  ...staffPartnerPages,
  // Earning: the catalogue editor (admins) and the review queue (reviewers; admins read it).
  { path: 'activities', element: <ActivitiesPage /> },
  { path: 'activities/new', element: <NewActivityPage /> },
  { path: 'activities/:activityId', element: <ActivityPage /> },
  { path: 'review', element: <ReviewPage /> },
  { path: 'imports', element: <StaffImportsPage /> },
  // Problem reports (the inbox) and public tasks (the task manager; `new` may come from a report).
  { path: 'reports', element: <StaffReportsPage /> },
  { path: 'tasks', element: <StaffTasksPage /> },
  { path: 'tasks/new', element: <StaffTasksPage /> },
  // Spending: the reward catalogue (admins), finance (finance; admins read), liability.
  { path: 'rewards', element: <RewardsPage /> },
  { path: 'rewards/new', element: <NewRewardPage /> },
  { path: 'rewards/:rewardId', element: <RewardPage /> },
  { path: 'finance', element: <FinancePage /> },
  { path: 'finance/statements/:statementId', element: <StatementPage /> },
  { path: 'liability', element: <LiabilityPage /> },
  // Payouts: treasury, approvals, parked payouts, reconciliation, settings.
  { path: 'payouts', element: <StaffPayoutsPage /> },
  { path: 'operators', element: <OperatorsPage /> },
  { path: 'settings', element: <SettingsPage /> },
  { path: '*', element: <NotFoundPage /> },
];

export const staffRoute: RouteObject = {
  path: 'staff',
  element: <StaffLayout />,
  children: staffPages,
};
