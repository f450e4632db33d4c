import type { ReactNode } from 'react';
import classes from './spend.module.css';

/** One name and value of a description list (`<dl className={classes.facts}>`). */
export function Fact({
  name,
  children,
  testId,
}: {
  name: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div className={classes.fact}>
      <dt>{name}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
