import { Badge, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { patchJson } from '../../api/client';
import type { User } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useLocale } from '../../i18n/useLocale';
import { ActionError } from './ActionError';
import { can } from './access';
import { type Column, DataTable } from './DataTable';
import { formatDateTime } from './format';
import { InviteForm } from './InviteForm';
import { SwitchButton } from './SwitchButton';
import classes from './staff.module.css';
import { useStaff } from './staffContext';
import { useFreshResource } from './useList';

/** `/staff/operators` (operator admins only): the region's operator admins; invite, switch off or on. */
export function OperatorsPage() {
  const { t } = useTranslation();
  const { me } = useStaff();
  const title = t('staffArea.nav.operators');
  useDocumentTitle(title);
  return (
    <Stack gap="lg">
      <Title order={1}>{title}</Title>
      {can(me.user, 'region.manage') ? (
        <Operators me={me.user} />
      ) : (
        <Text role="alert" data-testid="not-allowed">
          {t('staffArea.notAllowed')}
        </Text>
      )}
    </Stack>
  );
}

function Operators({ me }: { me: User }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const list = useFreshResource<{ items: User[] }>('/api/operators');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const toggle = async (user: User, status: 'active' | 'disabled', message: string) => {
    setBusy(user.id);
    setError(null);
    setDone(null);
    try {
      await patchJson(`/api/operators/${encodeURIComponent(user.id)}`, { status });
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
      key: 'status',
      label: t('staffArea.users.status'),
      sortValue: (u) => u.status,
      render: (u) => (
        <Badge variant="outline" radius="sm" color={u.status === 'disabled' ? 'gray' : 'civic'}>
          {t(`staffArea.status.${u.status}`)}
        </Badge>
      ),
    },
    {
      key: 'lastSignIn',
      label: t('staffArea.users.lastSignIn'),
      sortValue: (u) => u.lastSignInAt ?? '',
      render: (u) =>
        u.lastSignInAt ? formatDateTime(u.lastSignInAt, locale) : t('staffArea.users.never'),
    },
    {
      key: 'actions',
      label: t('staffArea.users.actions'),
      render: (u) =>
        u.id === me.id ? (
          <Text size="sm" c="dimmed">
            {t('staffArea.users.you')}
          </Text>
        ) : (
          <SwitchButton
            user={u}
            busy={busy}
            onSwitch={(status, message) => void toggle(u, status, message)}
          />
        ),
    },
  ];

  return (
    <Stack gap="lg">
      <InviteForm
        path="/api/operators"
        withRoles={false}
        defaultLocale={locale}
        onInvited={(user) => {
          setDone(t('staffArea.invite.sent', { email: user.email }));
          list.reload();
        }}
      />
      <div role="status" aria-live="polite" className={classes.status}>
        {done}
      </div>
      {Boolean(error) && <ActionError error={error} />}
      {list.status === 'loading' && <LoadingState label={t('staffArea.loading')} />}
      {list.status === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.status === 'ready' && (
        <DataTable
          caption={t('staffArea.operators.caption')}
          columns={columns}
          rows={list.data.items}
          rowKey={(u) => u.id}
          initialSort={{ key: 'name', direction: 'ascending' }}
          testId="operators-table"
        />
      )}
    </Stack>
  );
}
