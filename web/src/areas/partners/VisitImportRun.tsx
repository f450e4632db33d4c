import {
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../api/client';
import { ErrorState } from '../../components/ErrorState';
import { AlertIcon } from '../../components/icons';
import { LoadingState } from '../../components/LoadingState';
import { formatCount } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { formatDateTime } from '../staff/format';
import { ScrollTable, StatusBadge } from './visitImportParts';
import {
  type ImportPaths,
  type ImportProblem,
  type ImportRunDetail,
  isProblemReason,
} from './visitImports';

/** How often a running import is asked for its progress. */
const POLL_MS = 700;
const PROBLEMS_PAGE = 50;

type RunState =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; detail: ImportRunDetail };

/** One import: polled while it runs; then its summary and its rows with a problem. */
export function RunView({
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
