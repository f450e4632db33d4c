import { Alert, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertIcon } from '../../../components/icons';
import classes from './terms.module.css';

/** A form section with its legend. */
export function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className={classes.fieldset}>
      <legend>{legend}</legend>
      {children}
    </fieldset>
  );
}

/** The error of a group of fields (a limit row, a list of checkboxes), below it. */
export function GroupError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <Text className={classes.groupError} role="alert" data-testid={`error-${id}`}>
      {message}
    </Text>
  );
}

/** Above the submit button: some fields need a change; and what has no field of its own. */
export function FormErrorsAlert({ messages }: { messages: string[] }) {
  const { t } = useTranslation();
  return (
    <Alert role="alert" color="red" variant="light" icon={<AlertIcon />} data-testid="form-errors">
      {t('catalogue.editor.fixFields')}
      {messages.map((message) => (
        <Text key={message} size="sm">
          {message}
        </Text>
      ))}
    </Alert>
  );
}
