import { Navigate, Outlet, type RouteObject } from 'react-router';
import { UserSessionProvider } from '../api/userSession';
import { TransparencyIndex } from '../pages/municipality/TransparencyIndex';
import { AreaLanding } from './AreaLanding';
import { AreaLayout } from './AreaLayout';
import { AREAS } from './areas';
import { partnerRoutes } from './partners/partnerRoutes';
import { MyReportsPage } from './reports/MyReportsPage';
import { AlertsPage } from './resident/alerts/AlertsPage';
import { UnsubscribePage } from './resident/alerts/UnsubscribePage';
import { ClaimPage } from './resident/earn/ClaimPage';
import { EarnPage } from './resident/earn/EarnPage';
import { MyClaimsPage } from './resident/earn/MyClaimsPage';
import { HouseholdPage } from './resident/HouseholdPage';
import { ProfilePage } from './resident/ProfilePage';
import { PayoutsPage } from './resident/payouts/PayoutsPage';
import { ResidentHome } from './resident/ResidentHome';
import { SignInPage } from './resident/SignInPage';
import { BuyPage } from './resident/spend/BuyPage';
import { MyVouchersPage } from './resident/spend/MyVouchersPage';
import { RewardsPage } from './resident/spend/RewardsPage';
import { VoucherPage } from './resident/spend/VoucherPage';
import { staffRoute } from './staff/routes';
import { MyTasksPage } from './tasks/MyTasksPage';
import { WorkSignInPage } from './work/WorkSignInPage';

/** The resident area's pages below `/resident`. */
const residentRoutes: RouteObject[] = [
  { path: 'profile', element: <ProfilePage /> },
  { path: 'household', element: <HouseholdPage /> },
  // Earning: the ways to earn, one activity's claim form, the resident's claims.
  { path: 'earn', element: <EarnPage /> },
  { path: 'earn/:activityId', element: <ClaimPage /> },
  { path: 'claims', element: <MyClaimsPage /> },
  // Problem reports: the ones I sent and the ones I follow.
  { path: 'reports', element: <MyReportsPage /> },
  // Public tasks: the places I claimed.
  { path: 'tasks', element: <MyTasksPage /> },
  // Spending: the rewards, one reward's confirmation, the resident's vouchers, one voucher.
  { path: 'rewards', element: <RewardsPage /> },
  { path: 'rewards/:rewardId', element: <BuyPage /> },
  { path: 'vouchers', element: <MyVouchersPage /> },
  { path: 'vouchers/:voucherId', element: <VoucherPage /> },
  // Payouts: points turned into the municipality's token, sent to a proven address.
  { path: 'payouts', element: <PayoutsPage /> },
  // Area alerts: the areas followed for new tasks and reports.
  { path: 'alerts', element: <AlertsPage /> },
];

/** One route tree per area: `/resident`, `/staff`, `/pos`, `/partner`, `/public`. */
export const areaRoutes: RouteObject[] = [
  // The staff area and the partner portal bring their own frames (staffRoute, partnerRoutes);
  // the point of sale is a job of the partner portal, at /partner/pos.
  ...AREAS.filter((area) => area !== 'staff' && area !== 'partner' && area !== 'pos').map(
    (area) => ({
      path: area,
      element: <AreaLayout area={area} />,
      children: [
        {
          index: true,
          element:
            area === 'resident' ? (
              <ResidentHome />
            ) : area === 'public' ? (
              <TransparencyIndex />
            ) : (
              <AreaLanding area={area} />
            ),
        },
        ...(area === 'resident' ? residentRoutes : []),
      ],
    }),
  ),
  { path: 'pos', element: <Navigate to="/partner/pos" replace /> },
  // The emailed link opens `/sign-in#token=…` (PUBLIC_URL/sign-in), so this path is fixed.
  { path: 'sign-in', element: <SignInPage /> },
  // A digest's "stop" link opens `/alerts/unsubscribe?alert=…&token=…` (PUBLIC_URL), fixed too.
  { path: 'alerts/unsubscribe', element: <UnsubscribePage /> },
  // Staff, operators and partner users: their emails link to `/work/sign-in#token=…`.
  {
    element: (
      <UserSessionProvider>
        <Outlet />
      </UserSessionProvider>
    ),
    children: [{ path: 'work/sign-in', element: <WorkSignInPage /> }, staffRoute],
  },
  ...partnerRoutes,
];
