import {
  Alert,
  Button,
  FileInput,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, postFile } from '../../api/client';
import { ErrorState } from '../../components/ErrorState';
import { AlertIcon } from '../../components/icons';
import { LoadingState } from '../../components/LoadingState';
import { formatCount } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { formatDateTime } from '../staff/format';
import { useFreshResource } from '../staff/useList';
import type { Partner } from './partnersApi';
import { RunView } from './VisitImportRun';
import { ScrollTable, StatusBadge } from './visitImportParts';
import { type ImportPaths, type ImportRun, isFileError, VISIT_COLUMNS } from './visitImports';

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
