import { Outlet, type RouteObject } from 'react-router';
import { UserSessionProvider } from '../../api/userSession';
import { NotFoundPage } from '../../pages/NotFoundPage';
import { PosPage } from '../pos/PosPage';
import { PartnerApiKeysPage } from './PartnerApiKeysPage';
import { PartnerVisitImportsPage } from './PartnerVisitImportsPage';
import { ConfirmPage } from './portal/ConfirmPage';
import { KioskPage } from './portal/KioskPage';
import { KioskPickerPage } from './portal/KioskPickerPage';
import { PartnerHome } from './portal/PartnerHome';
import { PartnerLayout } from './portal/PartnerLayout';
import { StaffPartnerPage } from './StaffPartnerPage';
import { StaffPartnersPage } from './StaffPartnersPage';

/** The partners pages inside the staff area: `/staff/partners`, `/staff/partners/:partnerId`. */
export const staffPartnerPages: RouteObject[] = [
  { path: 'partners', element: <StaffPartnersPage /> },
  { path: 'partners/:partnerId', element: <StaffPartnerPage /> },
];

/**
 * The partner portal under `/partner`: its jobs inside PartnerLayout (home, confirm hours, the
 * kiosk's location picker, visit files, API keys), and on their own screens the kiosk, the code
 * filling the screen (`/partner/kiosk/:locationId`), and the point of sale (`/partner/pos`).
 */
export const partnerRoutes: RouteObject[] = [
  {
    path: 'partner',
    element: (
      <UserSessionProvider>
        <Outlet />
      </UserSessionProvider>
    ),
    children: [
      { path: 'kiosk/:locationId', element: <KioskPage /> },
      // The till: its own one screen, outside the portal's frame (docs/web.md, "Point of sale").
      { path: 'pos', element: <PosPage /> },
      {
        element: <PartnerLayout />,
        children: [
          { index: true, element: <PartnerHome /> },
          { path: 'confirm', element: <ConfirmPage /> },
          { path: 'kiosk', element: <KioskPickerPage /> },
          { path: 'visit-imports', element: <PartnerVisitImportsPage /> },
          { path: 'api-keys', element: <PartnerApiKeysPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
