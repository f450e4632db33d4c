import {
  Alert,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, patchJson, postJson } from '../../api/client';
import type { Municipality } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useLocale } from '../../i18n/useLocale';
import { LeafletMap } from '../../map/LeafletMap';
import mapClasses from '../../map/map.module.css';
import { type Bounds, bboxParam, type MapPin } from '../../map/mapTypes';
import { useMunicipalityBounds } from '../../map/useMunicipalityBounds';
import { can } from '../staff/access';
import { type Column, DataTable } from '../staff/DataTable';
import { formatDateTime } from '../staff/format';
import { StaffGate } from '../staff/StaffGate';
import { municipalityPath, useStaff } from '../staff/staffContext';
import { useFreshResource } from '../staff/useList';
import {
  type PublicReport,
  reportPhotoUrl,
  type SubStatus,
  useReportCategories,
} from './reportsApi';

/** A report as staff see it in the inbox (with the reporter's contact and hidden text). */
export interface StaffReport extends PublicReport {
  description: string;
  hidden: boolean;
  assigneeId: string | null;
  reporter: { kind: string; email: string | null; name: string | null; phone: string | null };
}

const SETTABLE: SubStatus[] = [
  'acknowledged',
  'in_progress',
  'fixed',
  'not_responsible',
  'no_further_action',
];

/**
 * The report inbox (`/staff/reports`, reviewers act; admins read): filters, the reports on a
 * map and in a sortable table, and the chosen one with its actions — assign, change the status
 * with a public note, merge into another report, hide or edit the public text, make a task.
 */
export function StaffReportsPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffReports.title')} permission="reports.read">
      {(municipality) => <Inbox municipality={municipality} />}
    </StaffGate>
  );
}

function Inbox({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { me } = useStaff();
  const mayAct = can(me.user, 'reports.review');
  const [status, setStatus] = useState('open');
  const [category, setCategory] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [view, setView] = useState<Bounds | null>(null);
  const [inView, setInView] = useState(false);
  const query = new URLSearchParams({
    ...(status && { status }),
    ...(category && { category }),
    ...(inView && view && { bbox: bboxParam(view) }),
  });
  const inbox = useFreshResource<{ items: StaffReport[] }>(
    `${municipalityPath(municipality)}/reports?${query}`,
  );
  const categories = useReportCategories(municipality.slug);
  const fit = useMunicipalityBounds(municipality.slug);
  const items = inbox.status === 'ready' ? inbox.data.items : [];
  const name = (r: StaffReport) => r.category.names[locale] || r.category.code;
  const pins = useMemo<MapPin[]>(
    () =>
      items.map((r) => ({
        id: r.id,
        kind: 'report',
        lat: r.latitude,
        lon: r.longitude,
        label: `${t('map.kind.report')}: ${r.category.names[locale] || r.category.code}`,
      })),
    [items, t, locale],
  );
  const chosen = items.find((r) => r.id === selected) ?? null;

  const columns: Column<StaffReport>[] = [
    {
      key: 'category',
      label: t('staffReports.columns.category'),
      render: (r) => (
        <Button
          variant="subtle"
          size="compact-sm"
          aria-pressed={r.id === selected}
          onClick={() => setSelected(r.id)}
        >
          {name(r)}
        </Button>
      ),
      sortValue: name,
    },
    {
      key: 'status',
      label: t('staffReports.columns.status'),
      render: (r) => t(`map.status.${r.subStatus}`),
      sortValue: (r) => r.subStatus,
    },
    {
      key: 'created',
      label: t('staffReports.columns.created'),
      render: (r) => formatDateTime(r.createdAt, locale),
      sortValue: (r) => r.createdAt,
    },
    {
      key: 'address',
      label: t('staffReports.columns.address'),
      render: (r) => r.address ?? '—',
    },
    {
      key: 'followers',
      label: t('staffReports.columns.followers'),
      render: (r) => r.followers,
      sortValue: (r) => r.followers,
      numeric: true,
    },
    {
      key: 'assignee',
      label: t('staffReports.columns.assignee'),
      render: (r) =>
        r.assigneeId === null
          ? '—'
          : r.assigneeId === me.user.id
            ? t('staffReports.you')
            : t('staffReports.someoneElse'),
    },
  ];

  return (
    <Stack gap="md">
      <Group gap="md" align="flex-end">
        <NativeSelect
          label={t('staffReports.filters.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
          data={[
            { value: 'open', label: t('map.status.open') },
            { value: 'closed', label: t('map.status.closed') },
            { value: 'pending', label: t('map.status.pending') },
            { value: '', label: t('staffReports.filters.all') },
          ]}
        />
        <NativeSelect
          label={t('staffReports.filters.category')}
          value={category}
          onChange={(e) => setCategory(e.currentTarget.value)}
          data={[
            { value: '', label: t('staffReports.filters.all') },
            ...(categories.status === 'ready' ? categories.data.items : []).map((c) => ({
              value: c.code,
              label: c.names[locale] || c.code,
            })),
          ]}
        />
        <Checkbox
          label={t('staffReports.filters.inView')}
          checked={inView}
          onChange={(e) => setInView(e.currentTarget.checked)}
          mb={8}
        />
      </Group>
      {inbox.status === 'loading' && <LoadingState label={t('staffReports.loading')} />}
      {inbox.status === 'error' && <ErrorState error={inbox.error} onRetry={inbox.reload} />}
      <div className={mapClasses.layout}>
        <LeafletMap
          label={t('staffReports.map')}
          pins={pins}
          selectedId={selected}
          onSelect={setSelected}
          fit={fit}
          onViewChange={setView}
        />
        {chosen ? (
          <ReportPanel
            key={chosen.id}
            report={chosen}
            others={items.filter((r) => r.id !== chosen.id && r.status === 'open')}
            municipality={municipality}
            mayAct={mayAct}
            onChanged={inbox.reload}
          />
        ) : (
          <Text>{t('staffReports.choose')}</Text>
        )}
      </div>
      <DataTable
        caption={t('staffReports.table')}
        columns={columns}
        rows={items}
        rowKey={(r) => r.id}
        initialSort={{ key: 'created', direction: 'descending' }}
        testId="report-inbox"
      />
    </Stack>
  );
}

function ReportPanel({
  report,
  others,
  municipality,
  mayAct,
  onChanged,
}: {
  report: StaffReport;
  others: StaffReport[];
  municipality: Municipality;
  mayAct: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { me } = useStaff();
  const base = `${municipalityPath(municipality)}/reports/${encodeURIComponent(report.id)}`;
  const [subStatus, setSubStatus] = useState<SubStatus>('acknowledged');
  const [note, setNote] = useState('');
  const [into, setInto] = useState('');
  const [text, setText] = useState(report.description);
  const [hidden, setHidden] = useState(report.hidden);
  const [done, setDone] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (
    what: 'assigned' | 'status' | 'merged' | 'edited',
    call: () => Promise<unknown>,
  ) => {
    setBusy(true);
    setFailed(null);
    setDone(null);
    try {
      await call();
      setDone(t(`staffReports.done.${what}`));
      onChanged();
    } catch (error) {
      setFailed(
        error instanceof ApiError && error.code === 'report_closed'
          ? t('staffReports.errors.closed')
          : error instanceof ApiError && error.code === 'report_not_open'
            ? t('staffReports.errors.notOpen')
            : t('staffReports.errors.other'),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" data-testid="report-panel">
      <Stack gap="sm">
        <Title order={2} size="h3">
          {report.category.names[locale] || report.category.code}
        </Title>
        <Text size="sm">
          {t(`map.status.${report.subStatus}`)} · {formatDateTime(report.createdAt, locale)}
          {report.address ? ` · ${report.address}` : ''}
        </Text>
        <Text>{report.description}</Text>
        {report.photos.map((photoId) => (
          <img
            key={photoId}
            src={reportPhotoUrl(report.id, photoId)}
            alt={t('reports.detail.photo')}
            className={mapClasses.photo}
          />
        ))}
        <Text size="sm">
          {t('staffReports.reporter', {
            who: report.reporter.name ?? report.reporter.email ?? report.reporter.kind,
          })}
        </Text>
        {done && (
          <Alert color="civic" role="status">
            {done}
          </Alert>
        )}
        {failed && (
          <Alert color="red" role="alert">
            {failed}
          </Alert>
        )}
        {mayAct && (
          <>
            <Group gap="sm">
              <Button
                variant="light"
                loading={busy}
                onClick={() =>
                  void act('assigned', () =>
                    postJson(`${base}/assign`, {
                      assigneeId: report.assigneeId === me.user.id ? null : me.user.id,
                    }),
                  )
                }
              >
                {report.assigneeId === me.user.id
                  ? t('staffReports.unassign')
                  : t('staffReports.assignMe')}
              </Button>
              <Button
                component={Link}
                variant="default"
                to={`/staff/tasks/new?fromReport=${encodeURIComponent(report.id)}&lat=${report.latitude}&lon=${report.longitude}`}
              >
                {t('staffReports.makeTask')}
              </Button>
            </Group>
            <Group gap="sm" align="flex-end">
              <NativeSelect
                label={t('staffReports.newStatus')}
                value={subStatus}
                onChange={(e) => setSubStatus(e.currentTarget.value as SubStatus)}
                data={SETTABLE.map((s) => ({ value: s, label: t(`map.status.${s}`) }))}
              />
            </Group>
            <Textarea
              label={t('staffReports.note')}
              description={t('staffReports.noteHint')}
              value={note}
              autosize
              minRows={2}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            <Button
              loading={busy}
              onClick={() =>
                void act('status', () =>
                  postJson(`${base}/status`, { subStatus, ...(note.trim() && { note }) }),
                )
              }
            >
              {t('staffReports.changeStatus')}
            </Button>
            {others.length > 0 && (
              <Group gap="sm" align="flex-end">
                <NativeSelect
                  label={t('staffReports.mergeInto')}
                  value={into}
                  onChange={(e) => setInto(e.currentTarget.value)}
                  data={[
                    { value: '', label: t('reports.form.choose') },
                    ...others.map((o) => ({
                      value: o.id,
                      label: `${o.category.names[locale] || o.category.code} · ${formatDateTime(o.createdAt, locale)}${o.address ? ` · ${o.address}` : ''}`,
                    })),
                  ]}
                />
                <Button
                  variant="default"
                  disabled={!into}
                  loading={busy}
                  onClick={() => void act('merged', () => postJson(`${base}/merge`, { into }))}
                >
                  {t('staffReports.merge')}
                </Button>
              </Group>
            )}
            <Textarea
              label={t('staffReports.publicText')}
              value={text}
              autosize
              minRows={2}
              onChange={(e) => setText(e.currentTarget.value)}
            />
            <Checkbox
              label={t('staffReports.hide')}
              checked={hidden}
              onChange={(e) => setHidden(e.currentTarget.checked)}
            />
            <Button
              variant="default"
              loading={busy}
              onClick={() =>
                void act('edited', () =>
                  patchJson(base, {
                    ...(text !== report.description && { description: text }),
                    hidden,
                  }),
                )
              }
            >
              {t('staffReports.saveText')}
            </Button>
          </>
        )}
      </Stack>
    </Paper>
  );
}
