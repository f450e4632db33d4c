import { Badge, Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { patchJson, postJson } from '../../api/client';
import type { Municipality, User } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useLocale } from '../../i18n/useLocale';
import { ActionError } from './ActionError';
import { type RoleName, STAFF_ROLES } from './access';
import { type Column, DataTable } from './DataTable';
import { formatDateTime } from './format';
import { InviteForm } from './InviteForm';
import { StaffGate } from './StaffGate';
import { SwitchButton } from './SwitchButton';
import classes from './staff.module.css';
import { municipalityPath, useStaff } from './staffContext';
import { useFreshResource } from './useList';

/** `/staff/users`: the municipality's staff, their roles; invite, change roles, switch off or on. */
export function StaffUsersPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffArea.nav.users')} permission="staff.manage">
      {(municipality) => <StaffUsers municipality={municipality} />}
    </StaffGate>
  );
}

function StaffUsers({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { me } = useStaff();
  const base = `${municipalityPath(municipality)}/staff`;
  const list = useFreshResource<{ items: User[] }>(base);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [editing, setEditing] = useState<User | null>(null);

  const act = async (user: User, work: () => Promise<unknown>, message: string) => {
    setBusy(user.id);
    setError(null);
    setDone(null);
    try {
      await work();
      setDone(message);
      list.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  const columns: Column<User>[] = [
    {
      key: 'name',
      label: t('staffArea.users.name'),
      sortValue: (u) => u.displayName.toLowerCase(),
      render: (u) => u.displayName,
    },
    {
      key: 'email',
      label: t('staffArea.users.email'),
      sortValue: (u) => u.email,
      render: (u) => <span className={classes.wrap}>{u.email}</span>,
    },
    {
      key: 'roles',
      label: t('staffArea.users.roles'),
      sortValue: (u) => u.roles.join(),
      render: (u) => (
        <Group gap={4}>
          {u.roles.map((role) => (
            <Badge key={role} variant="light" radius="sm">
              {t(`staffArea.roles.${role as RoleName}`)}
            </Badge>
          ))}
        </Group>
      ),
    },
    {
      key: 'status',
      label: t('staffArea.users.status'),
      sortValue: (u) => u.status,
      render: (u) => (
        <Badge
          variant="outline"
          radius="sm"
          color={u.status === 'disabled' ? 'gray' : u.status === 'invited' ? 'notice.9' : 'civic'}
        >
          {t(`staffArea.status.${u.status}`)}
        </Badge>
      ),
    },
    {
      key: 'lastSignIn',
      label: t('staffArea.users.lastSignIn'),
      sortValue: (u) => u.lastSignInAt ?? '',
      render: (u) => (
        <span className={classes.nowrap}>
          {u.lastSignInAt ? formatDateTime(u.lastSignInAt, locale) : t('staffArea.users.never')}
        </span>
      ),
    },
    {
      key: 'actions',
      label: t('staffArea.users.actions'),
      render: (u) =>
        u.id === me.user.id ? (
          <Text size="sm" c="dimmed">
            {t('staffArea.users.you')}
          </Text>
        ) : (
          <Group gap={6} wrap="nowrap">
            <Button
              size="xs"
              variant="light"
              className={classes.action}
              disabled={busy !== null}
              onClick={() => setEditing(u)}
              aria-label={t('staffArea.users.changeRolesOf', { name: u.displayName })}
            >
              {t('staffArea.users.changeRoles')}
            </Button>
            <SwitchButton
              user={u}
              busy={busy}
              onSwitch={(status, message) =>
                void act(
                  u,
                  () => patchJson(`${base}/${encodeURIComponent(u.id)}`, { status }),
                  message,
                )
              }
            />
            {u.status === 'invited' && (
              <Button
                size="xs"
                variant="subtle"
                className={classes.action}
                disabled={busy !== null}
                aria-label={t('staffArea.users.resendOf', { name: u.displayName })}
                onClick={() =>
                  void act(
                    u,
                    () => postJson(`${base}/${encodeURIComponent(u.id)}/resend-invitation`),
                    t('staffArea.users.resent', { email: u.email }),
                  )
                }
              >
                {t('staffArea.users.resend')}
              </Button>
            )}
          </Group>
        ),
    },
  ];

  return (
    <Stack gap="lg">
      <InviteForm
        path={base}
        withRoles
        defaultLocale={municipality.defaultLocale}
        onInvited={(user) => {
          setError(null);
          setDone(t('staffArea.invite.sent', { email: user.email }));
          list.reload();
        }}
      />
      <div role="status" aria-live="polite" className={classes.status} data-testid="action-done">
        {done}
      </div>
      {Boolean(error) && <ActionError error={error} />}
      {list.status === 'loading' && <LoadingState label={t('staffArea.loading')} />}
      {list.status === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.status === 'ready' && (
        <DataTable
          caption={t('staffArea.users.caption', { municipality: municipality.names[locale] })}
          columns={columns}
          rows={list.data.items}
          rowKey={(u) => u.id}
          initialSort={{ key: 'name', direction: 'ascending' }}
          testId="staff-table"
          minWidth={860}
        />
      )}
      {editing && (
        <RolesDialog
          user={editing}
          onClose={() => setEditing(null)}
          onSave={(roles) => {
            const user = editing;
            setEditing(null);
            void act(
              user,
              () => patchJson(`${base}/${encodeURIComponent(user.id)}`, { roles }),
              t('staffArea.users.rolesChanged', { name: user.displayName }),
            );
          }}
        />
      )}
    </Stack>
  );
}

function RolesDialog({
  user,
  onClose,
  onSave,
}: {
  user: User;
  onClose: () => void;
  onSave: (roles: string[]) => void;
}) {
  const { t } = useTranslation();
  const [roles, setRoles] = useState<string[]>(user.roles);
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('staffArea.users.rolesOf', { name: user.displayName })}
      closeButtonProps={{ 'aria-label': t('staffArea.close') }}
    >
      <Stack gap="md">
        <Checkbox.Group
          label={t('staffArea.invite.roles')}
          value={roles}
          onChange={setRoles}
          error={roles.length === 0 ? t('staffArea.invite.rolesMissing') : undefined}
        >
          <Stack gap="xs" mt={6}>
            {STAFF_ROLES.map((role) => (
              <Checkbox
                key={role}
                value={role}
                label={t(`staffArea.roles.${role as RoleName}`)}
                description={t(`staffArea.roleHints.${role}`)}
              />
            ))}
          </Stack>
        </Checkbox.Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} className={classes.touch}>
            {t('staffArea.cancel')}
          </Button>
          <Button
            disabled={roles.length === 0}
            onClick={() => onSave(roles)}
            className={classes.touch}
          >
            {t('staffArea.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
