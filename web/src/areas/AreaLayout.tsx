import { Container } from '@mantine/core';
import { Outlet } from 'react-router';
import type { Area } from './areas';
import classes from './areas.module.css';

/** The frame an area's pages render in; later releases add the area's own navigation here. */
export function AreaLayout({ area }: { area: Area }) {
  return (
    <div className={classes.area} data-area={area}>
      <Container size="lg" py="xl">
        <Outlet />
      </Container>
    </div>
  );
}
