import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import { AlertIcon } from '../../components/icons';
import classes from './resident.module.css';

/** What went wrong and what to do, announced at once (role alert), in readable contrast. */
export function FailureAlert({
  title,
  children,
  testId,
  color = 'red',
}: {
  title: string;
  children: ReactNode;
  testId?: string;
  color?: 'red' | 'notice';
}) {
  return (
    <Alert
      role="alert"
      color={color}
      variant="light"
      icon={<AlertIcon />}
      title={title}
      data-testid={testId}
      classNames={{ message: classes.alertText, title: classes.alertText }}
    >
      {children}
    </Alert>
  );
}
