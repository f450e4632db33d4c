import type { RouteObject } from 'react-router';
import { AreaLanding } from './AreaLanding';
import { AreaLayout } from './AreaLayout';
import { AREAS } from './areas';

/** One route tree per area: `/resident`, `/staff`, `/pos`, `/partner`, `/public`. */
export const areaRoutes: RouteObject[] = AREAS.map((area) => ({
  path: area,
  element: <AreaLayout area={area} />,
  children: [{ index: true, element: <AreaLanding area={area} /> }],
}));
