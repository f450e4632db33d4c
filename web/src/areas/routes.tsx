import type { RouteObject } from 'react-router';
import { AreaLanding } from './AreaLanding';
import { AreaLayout } from './AreaLayout';
import { AREAS } from './areas';
import { partnerRoutes } from './partners/partnerRoutes';
import { ResidentHome } from './resident/ResidentHome';
import { SignInPage } from './resident/SignInPage';

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
    ],
  })),
  // The emailed link opens `/sign-in#token=…` (PUBLIC_URL/sign-in), so this path is fixed.
  { path: 'sign-in', element: <SignInPage /> },
  ...partnerRoutes,
];
