import { Button, Group, Modal, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionError } from './ActionError';
import classes from './staff.module.css';

interface ConfirmDialogProps {
  title: string;
  /** What will happen, and that it cannot be undone. */
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  /** Why the last try failed, if it did. */
  failure?: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Asks before a change that cannot be undone (staff pages ask only then). Escape or "Cancel"
 * goes back; the focus starts on "Cancel", so Enter alone changes nothing.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy,
  failure,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened
      onClose={onCancel}
      title={title}
      centered
      size="lg"
      closeButtonProps={{ 'aria-label': t('staffArea.close') }}
    >
      <Stack gap="md" data-testid="confirm-dialog">
        {children}
        {failure !== undefined && failure !== null && <ActionError error={failure} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} className={classes.touch} data-autofocus>
            {t('staffArea.cancel')}
          </Button>
          <Button color="red.8" loading={busy} onClick={onConfirm} className={classes.touch}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
