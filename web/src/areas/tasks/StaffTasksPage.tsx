import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError, postJson, putJson } from '../../api/client';
import type { Municipality } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { languageName } from '../../i18n/format';
import { LOCALES, type Locale } from '../../i18n/locales';
import { useLocale } from '../../i18n/useLocale';
import { LeafletMap } from '../../map/LeafletMap';
import mapClasses from '../../map/map.module.css';
import { boxAround, type LatLon, type MapPin } from '../../map/mapTypes';
import { useMunicipalityBounds } from '../../map/useMunicipalityBounds';
import { type Column, DataTable } from '../staff/DataTable';
import { formatDateTime } from '../staff/format';
import { StaffGate } from '../staff/StaffGate';
import { municipalityPath } from '../staff/staffContext';
import { LocalizedTextFields } from '../staff/terms/LocalizedTextFields';
import { fromLocalInput, toLocalInput } from '../staff/terms/termsDraft';
import { useFreshResource } from '../staff/useList';
import { TaskClaimsPanel } from './TaskClaimsPanel';
import type { Task } from './tasksApi';

const empty = () => Object.fromEntries(LOCALES.map((l) => [l, ''])) as Record<Locale, string>;

/**
 * The task manager (`/staff/tasks`, admins and reviewers): the municipality's tasks on a map and
 * in a table with publish / close / cancel, and a new task placed on the map with its radius
 * (from a report: `?fromReport=…&lat=…&lon=…`), saved as a draft to publish.
 */
export function StaffTasksPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffTasks.title')} permission="tasks.manage">
      {(municipality) => <TaskManager municipality={municipality} />}
    </StaffGate>
  );
}

function TaskManager({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const base = `${municipalityPath(municipality)}/tasks`;
  const list = useFreshResource<{ items: Task[] }>(base);
  const fit = useMunicipalityBounds(municipality.slug);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [claimsOf, setClaimsOf] = useState<string | null>(null);
  const [editing, setEditing] = useState<Task | null>(null);
  const items = list.status === 'ready' ? list.data.items : [];
  const pins = useMemo<MapPin[]>(
    () =>
      items.map((task) => ({
        id: task.id,
        kind: 'task',
        lat: task.latitude,
        lon: task.longitude,
        label: `${t('map.kind.task')}: ${task.title[locale]}`,
      })),
    [items, t, locale],
  );

  const change = async (task: Task, action: 'publish' | 'close' | 'cancel') => {
    setMessage(null);
    setFailure(null);
    try {
      await postJson(`${base}/${encodeURIComponent(task.id)}/status`, { action });
      setMessage(t(`staffTasks.done.${action}`, { title: task.title[locale] }));
      list.reload();
    } catch {
      setFailure(t('staffTasks.errors.status'));
    }
  };

  const columns: Column<Task>[] = [
    {
      key: 'title',
      label: t('staffTasks.columns.title'),
      render: (task) => task.title[locale],
      sortValue: (task) => task.title[locale],
    },
    {
      key: 'status',
      label: t('staffTasks.columns.status'),
      render: (task) => t(`staffTasks.status.${task.status}`),
      sortValue: (task) => task.status,
    },
    {
      key: 'bounty',
      label: t('staffTasks.columns.bounty'),
      render: (task) => task.bountyPoints,
      sortValue: (task) => task.bountyPoints,
      numeric: true,
    },
    {
      key: 'slots',
      label: t('staffTasks.columns.slots'),
      render: (task) => `${task.slotsTaken} / ${task.slots}`,
      sortValue: (task) => task.slotsTaken,
      numeric: true,
    },
    {
      key: 'window',
      label: t('staffTasks.columns.window'),
      render: (task) =>
        `${formatDateTime(task.windowStart, locale)} – ${formatDateTime(task.windowEnd, locale)}`,
      sortValue: (task) => task.windowStart,
    },
    {
      key: 'actions',
      label: t('staffTasks.columns.actions'),
      render: (task) => (
        <Group gap={4} wrap="nowrap">
          {task.status !== 'draft' && (
            <Button
              size="compact-sm"
              variant="light"
              aria-pressed={claimsOf === task.id}
              onClick={() => setClaimsOf(task.id)}
            >
              {t('staffTasks.claims.open', { count: task.slotsTaken })}
            </Button>
          )}
          {(task.status === 'draft' || task.status === 'open') && (
            <Button size="compact-sm" variant="default" onClick={() => setEditing(task)}>
              {t('staffTasks.change')}
            </Button>
          )}
          {task.status === 'draft' && (
            <Button size="compact-sm" onClick={() => void change(task, 'publish')}>
              {t('staffTasks.publish')}
            </Button>
          )}
          {task.status === 'open' && (
            <Button size="compact-sm" variant="default" onClick={() => void change(task, 'close')}>
              {t('staffTasks.close')}
            </Button>
          )}
          {(task.status === 'open' || task.status === 'draft') && (
            <Button
              size="compact-sm"
              variant="subtle"
              color="red"
              c="red.9"
              onClick={() => void change(task, 'cancel')}
            >
              {t('staffTasks.cancel')}
            </Button>
          )}
        </Group>
      ),
    },
  ];

  return (
    <Stack gap="lg">
      {message && (
        <Alert color="civic" role="status">
          {message}
        </Alert>
      )}
      {failure && (
        <Alert color="red" role="alert">
          {failure}
        </Alert>
      )}
      {list.status === 'loading' && <LoadingState label={t('staffTasks.loading')} />}
      {list.status === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      <LeafletMap label={t('staffTasks.map')} pins={pins} fit={fit} />
      <DataTable
        caption={t('staffTasks.table')}
        columns={columns}
        rows={items}
        rowKey={(task) => task.id}
        initialSort={{ key: 'window', direction: 'descending' }}
        testId="staff-tasks"
        minWidth={820}
      />
      {claimsOf && (
        <TaskClaimsPanel
          key={claimsOf}
          municipality={municipality}
          taskId={claimsOf}
          onDecided={list.reload}
        />
      )}
      <NewTask
        key={editing?.id ?? 'new'}
        base={base}
        fit={fit}
        editing={editing}
        onCancel={() => setEditing(null)}
        onCreated={(task) => {
          setMessage(
            t(editing ? 'staffTasks.done.changed' : 'staffTasks.done.created', {
              title: task.title[locale],
            }),
          );
          setEditing(null);
          list.reload();
        }}
      />
    </Stack>
  );
}

/** Texts in the four languages, trimmed; null when none was typed. */
function textsOrNull(texts: Record<Locale, string>): Record<Locale, string> | null {
  const trimmed = Object.fromEntries(LOCALES.map((l) => [l, texts[l].trim()])) as Record<
    Locale,
    string
  >;
  return LOCALES.some((l) => trimmed[l]) ? trimmed : null;
}

function NewTask({
  base,
  fit,
  editing = null,
  onCreated,
  onCancel,
}: {
  base: string;
  fit: ReturnType<typeof useMunicipalityBounds>;
  /** A draft or open task to change (PUT), instead of a new one. */
  editing?: Task | null;
  onCreated: (task: Task) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [search] = useSearchParams();
  const fromReport = search.get('fromReport');
  const lat = Number(search.get('lat'));
  const lon = Number(search.get('lon'));
  const [title, setTitle] = useState(() => editing?.title ?? empty());
  const [description, setDescription] = useState(() => editing?.description ?? empty());
  const [point, setPoint] = useState<LatLon | null>(
    editing
      ? { lat: editing.latitude, lon: editing.longitude }
      : fromReport && Number.isFinite(lat) && Number.isFinite(lon) && search.get('lat')
        ? { lat, lon }
        : null,
  );
  const [radius, setRadius] = useState<number | string>(editing?.radiusMeters ?? 100);
  // From a report, the map starts around its place; otherwise around the municipality.
  const [start0] = useState(() => (point ? boxAround(point.lat, point.lon, 300) : null));
  const [bounty, setBounty] = useState<number | string>(editing?.bountyPoints ?? 25);
  const [slots, setSlots] = useState<number | string>(editing?.slots ?? 3);
  const [minutes, setMinutes] = useState<number | string>(editing?.estimatedMinutes ?? 30);
  const [hold, setHold] = useState<number | string>(editing?.holdHours ?? 48);
  const [start, setStart] = useState(editing ? toLocalInput(editing.windowStart) : '');
  const [end, setEnd] = useState(editing ? toLocalInput(editing.windowEnd) : '');
  const [proof, setProof] = useState(
    editing?.proofRequired ?? { beforePhoto: false, afterPhoto: true, location: true },
  );
  const [volunteer, setVolunteer] = useState(editing !== null);
  const [safety, setSafety] = useState(() => editing?.safetyNotes ?? empty());
  const [materials, setMaterials] = useState(() => editing?.materials ?? empty());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // "Change" in the table brings the form, filled in, to the reader.
  useEffect(() => {
    if (editing) heading.current?.focus();
  }, [editing]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    for (const l of LOCALES) {
      if (!title[l].trim()) found[`/title/${l}`] = t('staffTasks.errors.required');
      if (!description[l].trim()) found[`/description/${l}`] = t('staffTasks.errors.required');
    }
    if (!point) found.location = t('staffTasks.errors.location');
    const windowStart = fromLocalInput(start);
    const windowEnd = fromLocalInput(end);
    if (!windowStart) found.windowStart = t('staffTasks.errors.required');
    if (!windowEnd) found.windowEnd = t('staffTasks.errors.required');
    if (!volunteer) found.volunteer = t('staffTasks.errors.volunteer');
    setErrors(found);
    if (Object.keys(found).length > 0 || !point) return;
    setBusy(true);
    try {
      const send = editing
        ? (body: unknown) => putJson<Task>(`${base}/${encodeURIComponent(editing.id)}`, body)
        : (body: unknown) => postJson<Task>(base, body);
      const task = await send({
        title,
        description,
        location: { latitude: point.lat, longitude: point.lon, radiusMeters: Number(radius) },
        bountyPoints: Number(bounty),
        slots: Number(slots),
        windowStart,
        windowEnd,
        holdHours: Number(hold),
        estimatedMinutes: Number(minutes),
        proofRequired: proof,
        volunteerSuitable: true,
        safetyNotes: textsOrNull(safety),
        materials: textsOrNull(materials),
        ...(editing
          ? { sourceReportId: editing.sourceReportId }
          : fromReport && { sourceReportId: fromReport }),
      });
      onCreated(task);
      setTitle(empty());
      setDescription(empty());
    } catch (error) {
      const fromApi: Record<string, string> = {};
      if (error instanceof ApiError) {
        for (const e of error.errors) fromApi[e.field.replace(/^\/body/, '')] = e.message;
      }
      fromApi.form = t('staffTasks.errors.notSaved');
      setErrors(fromApi);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="new-task-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={2} size="h3" id="new-task-title" ref={heading} tabIndex={-1}>
            {editing
              ? t('staffTasks.editing', { title: editing.title[locale] })
              : t('staffTasks.new')}
          </Title>
          {fromReport && !editing && <Text>{t('staffTasks.fromReport')}</Text>}
          <LocalizedTextFields
            names={title}
            descriptions={description}
            onChange={(next) => {
              if (next.names) setTitle(next.names);
              if (next.descriptions) setDescription(next.descriptions);
            }}
            idOf={(path) => `task${path.replaceAll('/', '-')}`}
            error={(path) =>
              errors[path.replace('/names/', '/title/').replace('/descriptions/', '/description/')]
            }
          />
          <div className={mapClasses.layout}>
            <LeafletMap
              label={t('staffTasks.placeMap')}
              fit={start0 ?? fit}
              picked={point}
              radiusMeters={Number(radius) || null}
              onPick={setPoint}
            />
            <Stack gap="sm">
              <Text role="status" data-testid="task-place">
                {point
                  ? t('staffTasks.placed', {
                      latitude: point.lat.toFixed(5),
                      longitude: point.lon.toFixed(5),
                    })
                  : t('staffTasks.placeHint')}
              </Text>
              {errors.location && (
                <Text role="alert" c="red.9">
                  {errors.location}
                </Text>
              )}
              <NumberInput
                label={t('staffTasks.radius')}
                min={1}
                max={5000}
                value={radius}
                onChange={setRadius}
              />
            </Stack>
          </div>
          <Group gap="md" align="flex-start">
            <NumberInput
              label={t('staffTasks.bounty')}
              min={1}
              value={bounty}
              onChange={setBounty}
            />
            <NumberInput label={t('staffTasks.slots')} min={1} value={slots} onChange={setSlots} />
            <NumberInput
              label={t('staffTasks.minutes')}
              min={1}
              value={minutes}
              onChange={setMinutes}
            />
            <NumberInput label={t('staffTasks.hold')} min={1} value={hold} onChange={setHold} />
          </Group>
          <Group gap="md" align="flex-start">
            <TextInput
              type="datetime-local"
              label={t('staffTasks.start')}
              value={start}
              error={errors.windowStart}
              onChange={(e) => setStart(e.currentTarget.value)}
            />
            <TextInput
              type="datetime-local"
              label={t('staffTasks.end')}
              value={end}
              error={errors.windowEnd}
              onChange={(e) => setEnd(e.currentTarget.value)}
            />
          </Group>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            {LOCALES.map((l) => (
              <Textarea
                key={`safety-${l}`}
                lang={l}
                autosize
                minRows={1}
                label={t('staffTasks.safetyIn', { language: languageName(l, locale) })}
                value={safety[l]}
                onChange={(e) => setSafety({ ...safety, [l]: e.currentTarget.value })}
              />
            ))}
            {LOCALES.map((l) => (
              <Textarea
                key={`materials-${l}`}
                lang={l}
                autosize
                minRows={1}
                label={t('staffTasks.materialsIn', { language: languageName(l, locale) })}
                value={materials[l]}
                onChange={(e) => setMaterials({ ...materials, [l]: e.currentTarget.value })}
              />
            ))}
          </SimpleGrid>
          <Checkbox.Group
            label={t('staffTasks.proof')}
            value={Object.entries(proof)
              .filter(([, on]) => on)
              .map(([key]) => key)}
            onChange={(value) =>
              setProof({
                beforePhoto: value.includes('beforePhoto'),
                afterPhoto: value.includes('afterPhoto'),
                location: value.includes('location'),
              })
            }
          >
            <Group gap="lg" mt={6}>
              <Checkbox value="beforePhoto" label={t('tasks.complete.before')} />
              <Checkbox value="afterPhoto" label={t('tasks.complete.after')} />
              <Checkbox value="location" label={t('earn.form.location.label')} />
            </Group>
          </Checkbox.Group>
          <Checkbox
            label={t('staffTasks.volunteer')}
            checked={volunteer}
            error={errors.volunteer}
            onChange={(e) => setVolunteer(e.currentTarget.checked)}
          />
          {errors.form && (
            <Alert color="red" role="alert">
              {errors.form}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={busy}>
              {editing ? t('staffTasks.saveChanges') : t('staffTasks.save')}
            </Button>
            {editing && onCancel && (
              <Button variant="default" onClick={onCancel}>
                {t('staffTasks.stopEditing')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
