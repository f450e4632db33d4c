import { Anchor, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { putJson } from '../../../api/client';
import type { Municipality } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { useLocale } from '../../../i18n/useLocale';
import { ActionError } from '../ActionError';
import { type Column, DataTable } from '../DataTable';
import { formatDateTime } from '../format';
import { StaffGate } from '../StaffGate';
import classes from '../staff.module.css';
import { municipalityPath } from '../staffContext';
import { useFreshResource } from '../useList';
import local from './earning.module.css';
import { ACTIVITY_CATEGORIES, type Activity } from './earningTypes';
import { pointsText } from './labels';

/** `/staff/activities`: the municipality's activity catalogue for its admins. */
export function ActivitiesPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffArea.nav.activities')} permission="catalog.manage">
      {(municipality) => <Catalogue municipality={municipality} />}
    </StaffGate>
  );
}

function Catalogue({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const base = municipalityPath(municipality);
  const list = useFreshResource<{ items: Activity[] }>(`${base}/activities?include=archived`);
  const arrived = (useLocation().state as { done?: string } | null)?.done ?? null;
  const [done, setDone] = useState<string | null>(arrived);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<'all' | Activity['status']>('all');
  const [category, setCategory] = useState('');

  const setActivityStatus = async (activity: Activity, next: Activity['status']) => {
    setBusy(activity.id);
    setDone(null);
    setFailure(null);
    try {
      await putJson(`${base}/activities/${encodeURIComponent(activity.id)}/status`, {
        status: next,
      });
      const name = activity.current.names[locale];
      setDone(
        next === 'archived'
          ? t('catalogue.list.archived', { name })
          : t('catalogue.list.restored', { name }),
      );
      list.reload();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(null);
    }
  };

  const columns: Column<Activity>[] = [
    {
      key: 'name',
      label: t('catalogue.list.name'),
      sortValue: (a) => a.current.names[locale],
      render: (a) => (
        <Anchor component={Link} to={`/staff/activities/${encodeURIComponent(a.id)}`}>
          {a.current.names[locale]}
        </Anchor>
      ),
    },
    {
      key: 'code',
      label: t('catalogue.list.code'),
      sortValue: (a) => a.code,
      render: (a) => <span className={classes.code}>{a.code}</span>,
    },
    {
      key: 'category',
      label: t('catalogue.list.category'),
      sortValue: (a) => t(`catalogue.categories.${a.current.category}`),
      render: (a) => t(`catalogue.categories.${a.current.category}`),
    },
    {
      key: 'points',
      label: t('catalogue.list.points'),
      sortValue: (a) =>
        a.current.points.mode === 'fixed'
          ? a.current.points.points
          : a.current.points.pointsPerUnit,
      render: (a) => pointsText(a.current.points, t, locale),
    },
    {
      key: 'methods',
      label: t('catalogue.list.methods'),
      render: (a) =>
        a.current.verificationMethods.map((m) => t(`catalogue.methods.${m}`)).join(', '),
    },
    {
      key: 'status',
      label: t('catalogue.list.status'),
      sortValue: (a) => a.status,
      render: (a) => (
        <span className={local.status} data-status={a.status}>
          {t(`catalogue.statuses.${a.status}`)}
        </span>
      ),
    },
    {
      key: 'upcoming',
      label: t('catalogue.list.upcoming'),
      sortValue: (a) => a.upcoming[0]?.effectiveFrom ?? '',
      render: (a) =>
        a.upcoming.length === 0 ? (
          <Text size="sm" c="dimmed" component="span">
            {t('catalogue.list.noChange')}
          </Text>
        ) : (
          <ul className={classes.diff}>
            {a.upcoming.map((v) => (
              <li key={v.id}>
                {t('catalogue.list.changeFrom', {
                  date: formatDateTime(v.effectiveFrom, locale),
                  points: pointsText(v.points, t, locale),
                })}
              </li>
            ))}
          </ul>
        ),
    },
    {
      key: 'actions',
      label: t('catalogue.list.actions'),
      render: (a) => {
        const name = a.current.names[locale];
        const archived = a.status === 'archived';
        return (
          <Button
            size="xs"
            variant="default"
            className={classes.action}
            loading={busy === a.id}
            disabled={busy !== null && busy !== a.id}
            aria-label={
              archived
                ? t('catalogue.list.restoreOf', { name })
                : t('catalogue.list.archiveOf', { name })
            }
            onClick={() => void setActivityStatus(a, archived ? 'active' : 'archived')}
          >
            {archived ? t('catalogue.list.restore') : t('catalogue.list.archive')}
          </Button>
        );
      },
    },
  ];

  const needle = query.trim().toLocaleLowerCase();
  const rows =
    list.status === 'ready'
      ? list.data.items.filter(
          (a) =>
            (status === 'all' || a.status === status) &&
            (category === '' || a.current.category === category) &&
            (needle === '' ||
              a.code.includes(needle) ||
              a.current.names[locale].toLocaleLowerCase().includes(needle)),
        )
      : [];

  return (
    <Stack gap="md">
      <Text>{t('catalogue.list.intro')}</Text>
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label={t('catalogue.list.search')}
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
            miw="min(16rem, 100%)"
          />
          <NativeSelect
            label={t('catalogue.list.status')}
            value={status}
            onChange={(event) => setStatus(event.currentTarget.value as typeof status)}
            data={[
              { value: 'all', label: t('catalogue.list.allStatuses') },
              { value: 'active', label: t('catalogue.statuses.active') },
              { value: 'archived', label: t('catalogue.statuses.archived') },
            ]}
          />
          <NativeSelect
            label={t('catalogue.list.category')}
            value={category}
            onChange={(event) => setCategory(event.currentTarget.value)}
            data={[
              { value: '', label: t('catalogue.list.allCategories') },
              ...ACTIVITY_CATEGORIES.map((c) => ({
                value: c,
                label: t(`catalogue.categories.${c}`),
              })),
            ]}
          />
        </Group>
        <Button component={Link} to="/staff/activities/new" className={classes.touch}>
          {t('catalogue.list.new')}
        </Button>
      </Group>
      <div role="status" aria-live="polite" className={classes.status} data-testid="action-done">
        {done}
      </div>
      {failure !== null && <ActionError error={failure} />}
      {list.status === 'loading' && <LoadingState label={t('catalogue.list.loading')} />}
      {list.status === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.status === 'ready' && (
        <DataTable
          caption={t('catalogue.list.caption', {
            municipality: municipality.names[locale],
            shown: rows.length,
          })}
          columns={columns}
          rows={rows}
          rowKey={(a) => a.id}
          initialSort={{ key: 'name', direction: 'ascending' }}
          testId="activities-table"
          minWidth={1080}
        />
      )}
    </Stack>
  );
}
