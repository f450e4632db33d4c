import { Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** One card of the profile page, titled for screen readers and the eye alike. */
export function Section({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <Paper
      withBorder
      radius="lg"
      p="lg"
      component="section"
      aria-labelledby={`${id}-title`}
      data-testid={id}
    >
      <Title order={2} size="h4" id={`${id}-title`} mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}
