import { createBrowserRouter } from 'react-router';
import { areaRoutes } from './areas/routes';
import { RootLayout } from './layout/RootLayout';
import { HomePage } from './pages/HomePage';
import { MunicipalityPage } from './pages/municipality/MunicipalityPage';
import { TransparencyPage } from './pages/municipality/TransparencyPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { RouteErrorPage } from './pages/RouteErrorPage';

/** Every page of the web app. Areas add their own children in src/areas/<area>. */
export const router = createBrowserRouter([
  {
    element: <RootLayout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'municipalities/:slug', element: <MunicipalityPage /> },
      { path: 'municipalities/:slug/transparency', element: <TransparencyPage /> },
      // The map pages bring Leaflet: loaded when one is opened.
      { path: 'map', lazy: () => import('./map/MapPage').then((m) => ({ Component: m.MapPage })) },
      {
        path: 'tasks',
        lazy: () =>
          import('./areas/tasks/TaskListPage').then((m) => ({ Component: m.TaskListPage })),
      },
      {
        path: 'tasks/:id',
        lazy: () =>
          import('./areas/tasks/TaskDetailPage').then((m) => ({ Component: m.TaskDetailPage })),
      },
      {
        path: 'report',
        lazy: () => import('./areas/reports/ReportPage').then((m) => ({ Component: m.ReportPage })),
      },
      {
        path: 'reports/confirm',
        lazy: () =>
          import('./areas/reports/ConfirmReportPage').then((m) => ({
            Component: m.ConfirmReportPage,
          })),
      },
      {
        path: 'reports/:id',
        lazy: () =>
          import('./areas/reports/ReportDetailPage').then((m) => ({
            Component: m.ReportDetailPage,
          })),
      },
      ...areaRoutes,
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
