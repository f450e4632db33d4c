import { Paper } from '@mantine/core';
import type { ReactNode } from 'react';
import classes from './figures.module.css';

interface StatProps {
  label: string;
  value: string;
  note?: ReactNode;
  testId?: string;
}

/** One headline figure: what it is, the number, and what it is measured against. */
export function Stat({ label, value, note, testId }: StatProps) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <dl className={classes.stat}>
        <dt className={classes.statLabel}>{label}</dt>
        <dd className={classes.statValue}>{value}</dd>
        {note && <dd className={classes.statNote}>{note}</dd>}
      </dl>
    </Paper>
  );
}
