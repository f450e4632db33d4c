import type { RouteObject } from 'react-router';
import { AreaLanding } from './AreaLanding';
import { AreaLayout } from './AreaLayout';
import { AREAS, type Area } from './areas';
import { HouseholdPage } from './resident/HouseholdPage';
import { ResidentHome } from './resident/ResidentHome';
import { SignInPage } from './resident/SignInPage';
import { HouseholdRegisterPage } from './staff/HouseholdRegisterPage';

/** The pages of each area below its landing page. */
const AREA_PAGES: Partial<Record<Area, RouteObject[]>> = {
  resident: [{ path: 'household', element: <HouseholdPage /> }],
  staff: [{ path: 'households', element: <HouseholdRegisterPage /> }],
};

/** One route tree per area: `/resident`, `/staff`, `/pos`, `/partner`, `/public`. */
export const areaRoutes: RouteObject[] = [
  ...AREAS.map((area) => ({
    path: area,
    element: <AreaLayout area={area} />,
    children: [
      {
        index: true,
        element: area === 'resident' ? <ResidentHome /> : <AreaLanding area={area} />,
      },
      ...(AREA_PAGES[area] ?? []),
    ],
  })),
  // The emailed link opens `/sign-in#token=…` (PUBLIC_URL/sign-in), so this path is fixed.
  { path: 'sign-in', element: <SignInPage /> },
];
