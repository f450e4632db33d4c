import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  NativeSelect,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson, postFile } from '../../api/client';
import { ErrorState } from '../../components/ErrorState';
import { AlertIcon } from '../../components/icons';
import { LoadingState } from '../../components/LoadingState';
import { formatCount } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { formatDateTime } from '../staff/format';
import { useFreshResource } from '../staff/useList';
import type { Partner } from './partnersApi';
import {
  type ImportPaths,
  type ImportProblem,
  type ImportRun,
  type ImportRunDetail,
  isFileError,
  isProblemReason,
  VISIT_COLUMNS,
} from './visitImports';

/** How often a running import is asked for its progress. */
const POLL_MS = 700;
const PROBLEMS_PAGE = 50;

/**
 * Upload a recycling centre's visits file, follow its import (a progress bar while it runs),
 * then its summary and every row with a problem by line; and the earlier imports. Partners
 * send their own files; staff choose the centre a file comes from (`partners`).
 */
export function VisitImportPanel({
  paths,
  partners,
}: {
  paths: ImportPaths;
  /** The recycling centres staff may import for; undefined in the partner portal. */
  partners?: Partner[];
}) {
  const recent = useFreshResource<{ items: ImportRun[] }>(paths.list);
  const [shown, setShown] = useState<string | null>(null);
  return (
    <Stack gap="lg">
      <UploadForm
        paths={paths}
        partners={partners}
        onStarted={(run) => {
          setShown(run.id);
          recent.reload();
        }}
      />
      {shown && <RunView key={shown} paths={paths} runId={shown} onFinished={recent.reload} />}
      <RecentImports state={recent} onShow={setShown} shown={shown} />
    </Stack>
  );
}

function UploadForm({
  paths,
  partners,
  onStarted,
}: {
  paths: ImportPaths;
  partners: Partner[] | undefined;
  onStarted: (run: ImportRun) => void;
}) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [partnerId, setPartnerId] = useState(partners?.length === 1 ? partners[0]!.id : '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const needsPartner = partners !== undefined;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file || (needsPartner && !partnerId)) return;
    setBusy(true);
    setError(null);
    const query = new URLSearchParams({ fileName: file.name });
    if (needsPartner) query.set('partnerId', partnerId);
    try {
      onStarted(await postFile<ImportRun>(paths.upload(query), file, 'text/csv'));
      setFile(null);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError('network', null, null));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="visits-upload-title">
      <Title order={2} size="h4" id="visits-upload-title">
        {t('visitImports.uploadTitle')}
      </Title>
      <Text size="sm" mt="xs">
        {t('visitImports.uploadHelp')}
      </Text>
      <Text size="sm" mt="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
        {VISIT_COLUMNS.join(', ')}
      </Text>
      {needsPartner && partners.length === 0 ? (
        <Alert color="notice" variant="light" icon={<AlertIcon />} mt="md">
          {t('visitImports.noPartners')}
        </Alert>
      ) : (
        <form onSubmit={(event) => void onSubmit(event)}>
          <Stack gap="sm" mt="md" maw={480}>
            {needsPartner && (
              <NativeSelect
                label={t('visitImports.partner')}
                value={partnerId}
                onChange={(event) => setPartnerId(event.currentTarget.value)}
                data={[
                  { value: '', label: t('visitImports.choosePartner') },
                  ...partners.map((p) => ({ value: p.id, label: p.name })),
                ]}
                data-testid="visits-partner"
              />
            )}
            <FileInput
              label={t('visitImports.file')}
              placeholder={t('visitImports.filePlaceholder')}
              accept=".csv,text/csv"
              value={file}
              onChange={setFile}
              clearable
              data-testid="visits-file"
            />
            <Button
              type="submit"
              disabled={!file || (needsPartner && !partnerId)}
              loading={busy}
              mih={44}
            >
              {t('visitImports.start')}
            </Button>
          </Stack>
        </form>
      )}
      {error && <FileRefused error={error} />}
    </Paper>
  );
}

/** Why the file was refused before anything was imported, in the reader's language. */
function FileRefused({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  const line = /^Line (\d+)/.exec(error.message)?.[1] ?? '?';
  const text = isFileError(error.code)
    ? t(`visitImports.fileErrors.${error.code}`, { line })
    : error.kind === 'network'
      ? t('visitImports.fileErrors.network')
      : t('visitImports.fileErrors.other');
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      icon={<AlertIcon />}
      mt="md"
      title={t('visitImports.refusedTitle')}
      data-testid="visits-refused"
    >
      {text}
    </Alert>
  );
}

type RunState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; detail: ImportRunDetail };

/** One import: polled while it runs; then its summary and its rows with a problem. */
function RunView({
  paths,
  runId,
  onFinished,
}: {
  paths: ImportPaths;
  runId: string;
  onFinished: () => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [state, setState] = useState<RunState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [more, setMore] = useState<ImportProblem[]>([]);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let wasRunning = false;
    const poll = async () => {
      try {
        const detail = await getJson<ImportRunDetail>(
          `${paths.run(runId)}?limit=${PROBLEMS_PAGE}`,
          controller.signal,
        );
        setState({ status: 'ready', detail });
        if (detail.run.status === 'running') {
          wasRunning = true;
          timer = setTimeout(() => void poll(), POLL_MS);
        } else if (wasRunning) {
          onFinished();
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        setState({
          status: 'error',
          error: error instanceof ApiError ? error : new ApiError('network', null, null),
        });
      }
    };
    // `attempt` is read so that retrying polls again.
    void attempt;
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [paths, runId, onFinished, attempt]);

  if (state.status === 'loading') return <LoadingState label={t('visitImports.loading')} />;
  if (state.status === 'error') {
    return <ErrorState error={state.error} onRetry={() => setAttempt((n) => n + 1)} />;
  }
  const { run, problems } = state.detail;
  const rows = [...problems.items, ...more];
  const percent = run.rowsTotal === 0 ? 100 : Math.floor((run.rowsDone * 100) / run.rowsTotal);
  const count = (value: number) => formatCount(value, locale);

  const loadMore = async () => {
    setLoadingMore(true);
    try {
      const next = await getJson<ImportRunDetail>(
        `${paths.run(runId)}?offset=${rows.length}&limit=${PROBLEMS_PAGE}`,
      );
      setMore((before) => [...before, ...next.problems.items]);
    } catch {
      // The button stays; the next click tries again.
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <Paper
      withBorder
      radius="md"
      p="lg"
      component="section"
      aria-labelledby="visits-run-title"
      data-testid="visits-run"
      data-status={run.status}
    >
      <Group justify="space-between" align="flex-start" gap="sm">
        <Title order={2} size="h4" id="visits-run-title" style={{ overflowWrap: 'anywhere' }}>
          {t('visitImports.runTitle', { file: run.fileName })}
        </Title>
        <StatusBadge status={run.status} />
      </Group>
      <Text size="sm" c="dimmed" mt={4}>
        {t('visitImports.startedAt', { when: formatDateTime(run.startedAt, locale) })}
      </Text>
      <div role="status" aria-live="polite">
        <Progress
          mt="md"
          size="lg"
          radius="xl"
          value={percent}
          color={run.status === 'failed' ? 'red' : 'civic'}
          animated={run.status === 'running'}
          aria-label={t('visitImports.progressLabel')}
        />
        <Text mt="xs" data-testid="visits-progress">
          {t('visitImports.progress', {
            done: count(run.rowsDone),
            total: count(run.rowsTotal),
            percent,
          })}
        </Text>
      </div>
      {run.status === 'failed' && run.error && (
        <Alert role="alert" color="red" variant="light" icon={<AlertIcon />} mt="md">
          {run.error.code === 'interrupted'
            ? t('visitImports.interrupted')
            : t('visitImports.failedText')}
        </Alert>
      )}
      <SimpleGrid
        cols={{ base: 2, sm: 3, md: 5 }}
        spacing="md"
        mt="lg"
        data-testid="visits-summary"
      >
        <Figure label={t('visitImports.summary.awarded')} value={count(run.awarded)} />
        <Figure label={t('visitImports.summary.points')} value={count(run.points)} />
        <Figure label={t('visitImports.summary.already')} value={count(run.alreadyImported)} />
        <Figure label={t('visitImports.summary.waiting')} value={count(run.waiting)} />
        <Figure label={t('visitImports.summary.problems')} value={count(run.problems)} />
      </SimpleGrid>
      <Title order={3} size="h5" mt="xl">
        {t('visitImports.problemsTitle')}
      </Title>
      {problems.total === 0 ? (
        <Text mt="xs">
          {run.status === 'running'
            ? t('visitImports.problemsNoneYet')
            : t('visitImports.problemsNone')}
        </Text>
      ) : (
        <>
          <Text size="sm" mt="xs">
            {t('visitImports.problemsHelp')}
          </Text>
          <ScrollTable
            testId="visits-problems"
            label={t('visitImports.problemsTitle')}
            minWidth={560}
            headers={[
              t('visitImports.line'),
              t('visitImports.reason'),
              t('visitImports.visit'),
              t('visitImports.stream'),
            ]}
          >
            {rows.map((problem) => (
              <Table.Tr key={problem.line} data-line={problem.line}>
                <Table.Td>{problem.line}</Table.Td>
                <Table.Td>
                  {isProblemReason(problem.reason)
                    ? t(`visitImports.reasons.${problem.reason}`)
                    : problem.message}
                </Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{problem.visitId ?? '–'}</Table.Td>
                <Table.Td>{problem.stream ?? '–'}</Table.Td>
              </Table.Tr>
            ))}
          </ScrollTable>
          <Group gap="md">
            {rows.length < problems.total && (
              <Button
                variant="default"
                onClick={() => void loadMore()}
                loading={loadingMore}
                mih={44}
              >
                {t('visitImports.more', { count: problems.total - rows.length })}
              </Button>
            )}
            <Anchor href={`${paths.run(runId)}/problems.csv`} download fw={600} underline="always">
              {t('visitImports.download')}
            </Anchor>
          </Group>
        </>
      )}
    </Paper>
  );
}

/**
 * A table that scrolls sideways on narrow screens; the scrolling region is focusable and named,
 * so keyboard users can scroll it too (axe: scrollable-region-focusable).
 */
function ScrollTable({
  testId,
  label,
  minWidth,
  headers,
  children,
}: {
  testId: string;
  label: string;
  minWidth: number;
  headers: string[];
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer
      minWidth={minWidth}
      my="md"
      scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': label, role: 'region' } }}
    >
      <Table striped highlightOnHover verticalSpacing="sm" data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {headers.map((header) => (
              <Table.Th key={header} scope="col">
                {header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </div>
  );
}

function StatusBadge({ status }: { status: ImportRun['status'] }) {
  const { t } = useTranslation();
  const color = status === 'done' ? 'civic' : status === 'failed' ? 'red' : 'blue';
  return (
    <Badge color={color} variant="light" size="lg">
      {t(`visitImports.status.${status}`)}
    </Badge>
  );
}

function RecentImports({
  state,
  onShow,
  shown,
}: {
  state: ReturnType<typeof useFreshResource<{ items: ImportRun[] }>>;
  onShow: (runId: string) => void;
  shown: string | null;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="visits-recent-title">
      <Title order={2} size="h4" id="visits-recent-title">
        {t('visitImports.recentTitle')}
      </Title>
      {state.status === 'loading' && <LoadingState label={t('visitImports.loading')} />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
      {state.status === 'ready' &&
        (state.data.items.length === 0 ? (
          <Text mt="xs">{t('visitImports.recentNone')}</Text>
        ) : (
          <ScrollTable
            testId="visits-recent"
            label={t('visitImports.recentTitle')}
            minWidth={640}
            headers={[
              t('visitImports.fileColumn'),
              t('visitImports.startedColumn'),
              t('visitImports.statusColumn'),
              t('visitImports.summary.awarded'),
              t('visitImports.summary.problems'),
              t('visitImports.detailsColumn'),
            ]}
          >
            {state.data.items.map((run) => (
              <Table.Tr key={run.id}>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{run.fileName}</Table.Td>
                <Table.Td>{formatDateTime(run.startedAt, locale)}</Table.Td>
                <Table.Td>
                  <StatusBadge status={run.status} />
                </Table.Td>
                <Table.Td>{formatCount(run.awarded, locale)}</Table.Td>
                <Table.Td>{formatCount(run.problems, locale)}</Table.Td>
                <Table.Td>
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    mih={32}
                    disabled={shown === run.id}
                    onClick={() => onShow(run.id)}
                    aria-label={t('visitImports.showOne', { file: run.fileName })}
                  >
                    {t('visitImports.show')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </ScrollTable>
        ))}
    </Paper>
  );
}
