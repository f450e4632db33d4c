import type { RouteObject } from 'react-router';
import { AreaLayout } from '../AreaLayout';
import { PartnerApiKeysPage } from './PartnerApiKeysPage';
import { PartnerVisitImportsPage } from './PartnerVisitImportsPage';
import { StaffPartnerPage } from './StaffPartnerPage';
import { StaffPartnersPage } from './StaffPartnersPage';

/** The partners pages inside the staff area: `/staff/partners`, `/staff/partners/:partnerId`. */
export const staffPartnerPages: RouteObject[] = [
  { path: 'partners', element: <StaffPartnersPage /> },
  { path: 'partners/:partnerId', element: <StaffPartnerPage /> },
];

/** The partner portal's pages: `/partner/api-keys`, `/partner/visit-imports`. */
export const partnerRoutes: RouteObject[] = [
  {
    path: 'partner/api-keys',
    element: <AreaLayout area="partner" />,
    children: [{ index: true, element: <PartnerApiKeysPage /> }],
  },
  {
    path: 'partner/visit-imports',
    element: <AreaLayout area="partner" />,
    children: [{ index: true, element: <PartnerVisitImportsPage /> }],
  },
];
