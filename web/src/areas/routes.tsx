import type { RouteObject } from 'react-router';
import { AreaLanding } from './AreaLanding';
import { AreaLayout } from './AreaLayout';
import { AREAS, type Area } from './areas';
import { ProfilePage } from './resident/ProfilePage';
import { ResidentHome } from './resident/ResidentHome';
import { SignInPage } from './resident/SignInPage';
import { DeskPage } from './staff/DeskPage';

/** The pages below an area's landing. */
const AREA_PAGES: Partial<Record<Area, RouteObject[]>> = {
  resident: [{ path: 'profile', element: <ProfilePage /> }],
  staff: [{ path: 'desk', element: <DeskPage /> }],
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
