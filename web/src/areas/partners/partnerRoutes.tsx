import type { RouteObject } from 'react-router';
import { AreaLayout } from '../AreaLayout';
import { PartnerApiKeysPage } from './PartnerApiKeysPage';
import { StaffPartnerPage } from './StaffPartnerPage';
import { StaffPartnersPage } from './StaffPartnersPage';

/** The partners pages: `/staff/partners`, `/staff/partners/:partnerId`, `/partner/api-keys`. */
export const partnerRoutes: RouteObject[] = [
  {
    path: 'staff/partners',
    element: <AreaLayout area="staff" />,
    children: [
      { index: true, element: <StaffPartnersPage /> },
      { path: ':partnerId', element: <StaffPartnerPage /> },
    ],
  },
  {
    path: 'partner/api-keys',
    element: <AreaLayout area="partner" />,
    children: [{ index: true, element: <PartnerApiKeysPage /> }],
  },
];
