import { MantineProvider } from '@mantine/core';
import { RouterProvider } from 'react-router/dom';
import { router } from './router';
import { cssVariablesResolver, theme } from './theme';

/** The theme around the router: one MantineProvider, light scheme only for now. */
export function App() {
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      forceColorScheme="light"
    >
      <RouterProvider router={router} />
    </MantineProvider>
  );
}
