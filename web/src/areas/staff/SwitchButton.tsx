import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { User } from '../../api/types';
import classes from './staff.module.css';

interface SwitchButtonProps {
  user: User;
  /** The id of the user an action is running for, if any. */
  busy: string | null;
  /** Switches the account to `next`; `done` says so when it worked. */
  onSwitch: (next: 'active' | 'disabled', done: string) => void;
}

/** "Switch off" for an account that works, "Switch on" for one that was switched off. */
export function SwitchButton({ user, busy, onSwitch }: SwitchButtonProps) {
  const { t } = useTranslation();
  const name = user.displayName;
  const on = user.status === 'disabled';
  return (
    <Button
      size="xs"
      variant="default"
      className={classes.action}
      loading={busy === user.id}
      disabled={busy !== null && busy !== user.id}
      aria-label={
        on ? t('staffArea.users.switchOnOf', { name }) : t('staffArea.users.switchOffOf', { name })
      }
      onClick={() =>
        on
          ? onSwitch('active', t('staffArea.users.switchedOn', { name }))
          : onSwitch('disabled', t('staffArea.users.switchedOff', { name }))
      }
    >
      {on ? t('staffArea.users.switchOn') : t('staffArea.users.switchOff')}
    </Button>
  );
}
