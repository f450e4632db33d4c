import {
  Anchor,
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../api/client';
import type { AuditEvent, AuditPage, Municipality, User } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import i18n from '../../i18n';
import type en from '../../i18n/en.json';
import { useLocale } from '../../i18n/useLocale';
import type { RoleName } from './access';
import { diffOf } from './auditDiff';
import { type Column, DataTable } from './DataTable';
import { formatDateTime } from './format';
import { StaffGate } from './StaffGate';
import classes from './staff.module.css';
import { municipalityPath, useStaff } from './staffContext';
import { useFreshResource } from './useList';

interface Filters {
  action: string;
  actor: string;
  subject: string;
  from: string;
  to: string;
}
const NO_FILTERS: Filters = { action: '', actor: '', subject: '', from: '', to: '' };

/** The actions the log records so far, for the filter; others show as they are named. */
const ACTIONS = [
  'user.invited',
  'user.provisioned',
  'user.accepted_invitation',
  'user.updated',
  'partner.created',
  'partner_location.added',
  'api_key.created',
];

type ActionKey = keyof (typeof en)['staffArea']['audit']['actions'];
type ActorKind = keyof (typeof en)['staffArea']['audit']['actorKinds'];

/** The query string of the filters (dates as the start of the day from, the end of the day to). */
function queryOf(filters: Filters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.action) query.set('action', filters.action);
  if (filters.actor) query.set('actor', filters.actor);
  if (filters.subject.trim()) query.set('subject', filters.subject.trim());
  if (filters.from) query.set('from', new Date(`${filters.from}T00:00:00`).toISOString());
  if (filters.to) query.set('to', new Date(`${filters.to}T23:59:59.999`).toISOString());
  return query;
}

/** `/staff/audit`: who did what, when, with which role, and what it changed; newest first. */
export function AuditLogPage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffArea.nav.audit')} permission="audit.read">
      {(municipality) => <AuditLog municipality={municipality} />}
    </StaffGate>
  );
}

type PageState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; items: AuditEvent[]; next: string | null; more: boolean };

function AuditLog({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { me } = useStaff();
  const base = municipalityPath(municipality);
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [page, setPage] = useState<PageState>({ status: 'loading' });
  const staff = useFreshResource<{ items: User[] }>(`${base}/staff`);
  const operators = useFreshResource<{ items: User[] }>(
    me.user.kind === 'operator' ? '/api/operators' : null,
  );
  const people = new Map<string, User>(
    [
      ...(staff.status === 'ready' ? staff.data.items : []),
      ...(operators.status === 'ready' ? operators.data.items : []),
      me.user,
    ].map((u) => [u.id, u]),
  );

  const load = useCallback(
    async (before: string | null, signal?: AbortSignal) => {
      const query = queryOf(filters);
      query.set('limit', '50');
      if (before) query.set('before', before);
      return getJson<AuditPage>(`${base}/audit?${query}`, signal);
    },
    [base, filters],
  );

  useEffect(() => {
    const controller = new AbortController();
    setPage({ status: 'loading' });
    load(null, controller.signal).then(
      (data) => setPage({ status: 'ready', items: data.items, next: data.next, more: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setPage({
          status: 'error',
          error: error instanceof ApiError ? error : new ApiError('network', null, null),
        });
      },
    );
    return () => controller.abort();
  }, [load]);

  const loadMore = async () => {
    if (page.status !== 'ready' || !page.next) return;
    setPage({ ...page, more: true });
    try {
      const data = await load(page.next);
      setPage({
        status: 'ready',
        items: [...page.items, ...data.items],
        next: data.next,
        more: false,
      });
    } catch (error) {
      setPage({
        status: 'error',
        error: error instanceof ApiError ? error : new ApiError('network', null, null),
      });
    }
  };

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFilters(draft);
  };

  const whoOf = (event: AuditEvent) => {
    const person = people.get(event.actorId);
    if (person) return person.displayName;
    if (event.actorKind === 'operator_cli') return t('staffArea.audit.actorKinds.operator_cli');
    if (event.actorKind === 'system') return t('staffArea.audit.actorKinds.system');
    return event.actorId;
  };
  // Actions and kinds that later parts add show as they are named until they get a text here.
  const actionLabel = (action: string): string => {
    const known = action.replace('.', '_') as ActionKey;
    return i18n.exists(`staffArea.audit.actions.${known}`)
      ? t(`staffArea.audit.actions.${known}`)
      : action;
  };
  const kindLabel = (kind: string): string =>
    i18n.exists(`staffArea.audit.actorKinds.${kind}`)
      ? t(`staffArea.audit.actorKinds.${kind as ActorKind}`)
      : kind;
  const subjectLabel = (event: AuditEvent) =>
    event.subjectType === 'user'
      ? (people.get(event.subjectId)?.displayName ?? event.subjectId)
      : event.subjectId;

  const columns: Column<AuditEvent>[] = [
    {
      key: 'when',
      label: t('staffArea.audit.when'),
      render: (e) => <span className={classes.nowrap}>{formatDateTime(e.occurredAt, locale)}</span>,
    },
    {
      key: 'who',
      label: t('staffArea.audit.who'),
      render: (e) => (
        <Stack gap={2}>
          <span>{whoOf(e)}</span>
          {whoOf(e) !== kindLabel(e.actorKind) && (
            <Text size="xs" c="dimmed">
              {kindLabel(e.actorKind)}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      key: 'role',
      label: t('staffArea.audit.role'),
      render: (e) => (
        <Group gap={4}>
          {e.actorRoles.map((role) => (
            <Badge key={role} variant="light" radius="sm">
              {i18n.exists(`staffArea.roles.${role}`)
                ? t(`staffArea.roles.${role as RoleName}`)
                : role}
            </Badge>
          ))}
        </Group>
      ),
    },
    {
      key: 'what',
      label: t('staffArea.audit.what'),
      render: (e) => (
        <Stack gap={2}>
          <span>{actionLabel(e.action)}</span>
          <Text size="xs" c="dimmed" className={classes.wrap}>
            {subjectLabel(e)}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'changes',
      label: t('staffArea.audit.changes'),
      render: (e) => (
        <ul className={classes.diff}>
          {diffOf(e.before, e.after).map((change) => (
            <li key={change.field}>
              <span className={classes.code}>{change.field}</span>
              {': '}
              {change.before !== null && (
                <>
                  <span className={classes.diffOld}>{change.before}</span>
                  {' → '}
                </>
              )}
              <span className={classes.diffNew}>
                {change.after ?? t('staffArea.audit.removed')}
              </span>
            </li>
          ))}
        </ul>
      ),
    },
  ];

  const csv = `${base}/audit.csv?${queryOf(filters)}`;
  const peopleOptions = [...people.values()].sort((a, b) =>
    a.displayName.localeCompare(b.displayName),
  );

  return (
    <Stack gap="md">
      <Paper
        withBorder
        radius="md"
        p="md"
        component="section"
        aria-label={t('staffArea.audit.filters')}
      >
        <form onSubmit={apply}>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <NativeSelect
              label={t('staffArea.audit.action')}
              value={draft.action}
              onChange={(event) => setDraft({ ...draft, action: event.currentTarget.value })}
              data={[
                { value: '', label: t('staffArea.audit.any') },
                ...ACTIONS.map((a) => ({ value: a, label: actionLabel(a) })),
              ]}
            />
            <NativeSelect
              label={t('staffArea.audit.who')}
              value={draft.actor}
              onChange={(event) => setDraft({ ...draft, actor: event.currentTarget.value })}
              data={[
                { value: '', label: t('staffArea.audit.anyone') },
                ...peopleOptions.map((u) => ({ value: u.id, label: u.displayName })),
              ]}
            />
            <TextInput
              label={t('staffArea.audit.subject')}
              value={draft.subject}
              onChange={(event) => setDraft({ ...draft, subject: event.currentTarget.value })}
            />
            <TextInput
              type="date"
              label={t('staffArea.audit.from')}
              value={draft.from}
              onChange={(event) => setDraft({ ...draft, from: event.currentTarget.value })}
            />
            <TextInput
              type="date"
              label={t('staffArea.audit.to')}
              value={draft.to}
              onChange={(event) => setDraft({ ...draft, to: event.currentTarget.value })}
            />
            <Button type="submit" className={classes.touch}>
              {t('staffArea.audit.apply')}
            </Button>
            <Button
              variant="subtle"
              className={classes.touch}
              onClick={() => {
                setDraft(NO_FILTERS);
                setFilters(NO_FILTERS);
              }}
            >
              {t('staffArea.audit.clear')}
            </Button>
          </Group>
        </form>
      </Paper>
      <Group justify="space-between">
        <Text c="dimmed">{t('staffArea.audit.newestFirst')}</Text>
        <Anchor
          href={csv}
          download={`audit-${municipality.slug}.csv`}
          fw={600}
          underline="always"
          data-testid="audit-csv"
        >
          {t('staffArea.audit.download')}
        </Anchor>
      </Group>
      {page.status === 'loading' && <LoadingState label={t('staffArea.loading')} />}
      {page.status === 'error' && (
        <ErrorState error={page.error} onRetry={() => setFilters({ ...filters })} />
      )}
      {page.status === 'ready' && (
        <>
          <DataTable
            caption={t('staffArea.audit.caption', { municipality: municipality.names[locale] })}
            columns={columns}
            rows={page.items}
            rowKey={(e) => e.id}
            testId="audit-table"
            minWidth={900}
          />
          {page.next && (
            <Group>
              <Button
                variant="default"
                loading={page.more}
                onClick={() => void loadMore()}
                className={classes.touch}
              >
                {t('staffArea.audit.loadMore')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
