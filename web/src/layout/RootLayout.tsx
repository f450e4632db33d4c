import { Box } from '@mantine/core';
import { useRef } from 'react';
import { Outlet, ScrollRestoration } from 'react-router';
import { SessionProvider } from '../api/session';
import classes from './layout.module.css';
import { SiteFooter } from './SiteFooter';
import { SiteHeader } from './SiteHeader';
import { SkipLink } from './SkipLink';
import { useRouteFocus } from './useRouteFocus';

/** The frame of every page: skip link, header (banner), main, footer (contentinfo). */
export function RootLayout() {
  const main = useRef<HTMLElement>(null);
  useRouteFocus(main);
  return (
    <SessionProvider>
      <div className={classes.page}>
        <SkipLink />
        <SiteHeader />
        <Box component="main" id="main" tabIndex={-1} ref={main} className={classes.main}>
          <Outlet />
        </Box>
        <SiteFooter />
        <ScrollRestoration />
      </div>
    </SessionProvider>
  );
}
