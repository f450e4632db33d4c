import {
  Alert,
  Badge,
  Button,
  Checkbox,
  FileInput,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, postFile, postForFile } from '../../api/client';
import { useMunicipalities } from '../../api/endpoints';
import type { RegisterImportResult, RegisterPage } from '../../api/types';
import { useApiResource } from '../../api/useApiResource';
import { ErrorState } from '../../components/ErrorState';
import { AlertIcon } from '../../components/icons';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatCount, formatDate } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';

/** The signed-in user (GET /api/users/me), as far as this page needs it. */
interface MyUser {
  user: { kind: 'staff' | 'operator' | 'partner'; roles: string[] };
  municipalitySlug: string | null;
}

const PAGE_SIZE = 50;

/**
 * `/staff/households`: the municipal household register — upload the CSV (see the counts, or
 * every problem row by row), the register's figures and entries, and the verification letters
 * as a PDF. Works with the signed-in staff session on its own (no staff navigation needed).
 */
export function HouseholdRegisterPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('householdRegister.title'));
  const me = useApiResource<MyUser>('/api/users/me', { cache: false });

  let body: ReactNode;
  if (me.status === 'loading') body = <LoadingState label={t('householdRegister.loading')} />;
  else if (me.status === 'error') {
    body =
      me.error.status === 401 || me.error.status === 403 ? (
        <Alert
          role="alert"
          color="notice"
          variant="light"
          icon={<AlertIcon />}
          title={t('householdRegister.signInTitle')}
          data-testid="staff-sign-in"
        >
          {t('householdRegister.signInText')}
        </Alert>
      ) : (
        <ErrorState error={me.error} onRetry={me.retry} />
      );
  } else if (me.data.user.kind === 'partner') {
    body = (
      <Alert role="alert" color="notice" variant="light" icon={<AlertIcon />}>
        {t('householdRegister.notAllowed')}
      </Alert>
    );
  } else if (me.data.municipalitySlug) {
    body = <Register slug={me.data.municipalitySlug} />;
  } else {
    body = <OperatorRegister />;
  }
  return (
    <Stack gap="lg" data-testid="household-register-page">
      <div>
        <Title order={1}>{t('householdRegister.title')}</Title>
        <Text mt="xs">{t('householdRegister.intro')}</Text>
      </div>
      {body}
    </Stack>
  );
}

/** An operator admin picks the municipality first. */
function OperatorRegister() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const municipalities = useMunicipalities();
  const [slug, setSlug] = useState('');
  if (municipalities.status === 'loading')
    return <LoadingState label={t('householdRegister.loading')} />;
  if (municipalities.status === 'error') {
    return <ErrorState error={municipalities.error} onRetry={municipalities.retry} />;
  }
  return (
    <Stack gap="lg">
      <NativeSelect
        label={t('householdRegister.municipality')}
        value={slug}
        onChange={(event) => setSlug(event.currentTarget.value)}
        data={[
          { value: '', label: t('householdRegister.chooseMunicipality') },
          ...municipalities.data.items.map((m) => ({ value: m.slug, label: m.names[locale] })),
        ]}
        maw={360}
      />
      {slug && <Register key={slug} slug={slug} />}
    </Stack>
  );
}

function Register({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const [offset, setOffset] = useState(0);
  const page = useApiResource<RegisterPage>(
    `/api/municipalities/${encodeURIComponent(slug)}/household-register?limit=${PAGE_SIZE}&offset=${offset}`,
    { cache: false },
  );
  // After an import or letters the figures and statuses change: load them again.
  const reload = page.retry;

  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Upload slug={slug} onImported={reload} />
        <Letters slug={slug} onPrinted={reload} />
      </SimpleGrid>
      {page.status === 'loading' && <LoadingState label={t('householdRegister.loading')} />}
      {page.status === 'error' && <ErrorState error={page.error} onRetry={page.retry} />}
      {page.status === 'ready' && <Entries page={page.data} onPage={(next) => setOffset(next)} />}
    </Stack>
  );
}

function Upload({ slug, onImported }: { slug: string; onImported: () => void }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RegisterImportResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setResult(null);
    setError(null);
    try {
      setResult(
        await postFile<RegisterImportResult>(
          `/api/municipalities/${encodeURIComponent(slug)}/household-register`,
          file,
          'text/csv',
        ),
      );
      onImported();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError('network', null, null));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="upload-title">
      <Title order={2} size="h4" id="upload-title">
        {t('householdRegister.uploadTitle')}
      </Title>
      <Text size="sm" mt="xs">
        {t('householdRegister.uploadHelp')}
      </Text>
      <form onSubmit={(event) => void onSubmit(event)}>
        <Stack gap="sm" mt="md">
          <FileInput
            label={t('householdRegister.file')}
            placeholder={t('householdRegister.filePlaceholder')}
            accept=".csv,text/csv"
            value={file}
            onChange={setFile}
            data-testid="register-file"
          />
          <Button type="submit" disabled={!file} loading={busy} mih={44}>
            {t('householdRegister.upload')}
          </Button>
        </Stack>
      </form>
      <div role="status" aria-live="polite">
        {result && (
          <Alert color="civic" variant="light" mt="md" data-testid="import-result">
            {t('householdRegister.imported', {
              households: formatCount(result.households, locale),
              added: formatCount(result.added, locale),
              updated: formatCount(result.updated, locale),
              removed: formatCount(result.removed, locale),
              kept: formatCount(result.keptVerified, locale),
            })}
          </Alert>
        )}
      </div>
      {error && <ImportProblems error={error} />}
    </Paper>
  );
}

const PROBLEM_CODES = [
  'missing',
  'invalid',
  'duplicate',
  'too_many_columns',
  'malformed_csv',
  'missing_column',
  'unknown_column',
  'not_utf8',
  'empty',
] as const;
type ProblemCode = (typeof PROBLEM_CODES)[number];
const COLUMN_NAMES = ['reference', 'address', 'members', 'language'] as const;
type ColumnName = (typeof COLUMN_NAMES)[number];
const isOneOf = <T extends string>(list: readonly T[], value: string | undefined): value is T =>
  value !== undefined && (list as readonly string[]).includes(value);

/** The rows the API refused, row by row, in the reader's language. */
function ImportProblems({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  if (error.code !== 'register_invalid') {
    return (
      <Alert role="alert" color="red" variant="light" icon={<AlertIcon />} mt="md">
        {error.code === 'body_too_large'
          ? t('householdRegister.tooLarge')
          : error.kind === 'network'
            ? t('householdRegister.networkError')
            : t('householdRegister.importFailed')}
      </Alert>
    );
  }
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      icon={<AlertIcon />}
      mt="md"
      title={t('householdRegister.invalidTitle')}
      data-testid="import-problems"
    >
      <Text size="sm">{t('householdRegister.invalidText')}</Text>
      <Table mt="sm" withRowBorders>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('householdRegister.row')}</Table.Th>
            <Table.Th>{t('householdRegister.problem')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {error.errors.map((problem) => {
            const [, row, column] = /^\/rows\/(\d+)(?:\/(\w+))?/.exec(problem.field) ?? [];
            const code: ProblemCode = isOneOf(PROBLEM_CODES, problem.code)
              ? problem.code
              : 'invalid';
            const columnName = isOneOf<ColumnName>(COLUMN_NAMES, column)
              ? t(`householdRegister.column.${column}`)
              : '';
            return (
              <Table.Tr key={`${problem.field}-${problem.code}`}>
                <Table.Td>{row ?? '–'}</Table.Td>
                <Table.Td>
                  {t(`householdRegister.problems.${code}`, { column: columnName })}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Alert>
  );
}

function Letters({ slug, onPrinted }: { slug: string; onPrinted: () => void }) {
  const { t } = useTranslation();
  const [reprint, setReprint] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<'done' | 'none' | 'failed' | null>(null);

  const download = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      const { blob, filename } = await postForFile(
        `/api/municipalities/${encodeURIComponent(slug)}/household-register/letters`,
        reprint ? { reprint: true } : {},
      );
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = filename ?? 'letters.pdf';
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setOutcome('done');
      onPrinted();
    } catch (failure) {
      setOutcome(
        failure instanceof ApiError && failure.code === 'no_letters_to_print' ? 'none' : 'failed',
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="letters-title">
      <Title order={2} size="h4" id="letters-title">
        {t('householdRegister.lettersTitle')}
      </Title>
      <Text size="sm" mt="xs">
        {t('householdRegister.lettersHelp')}
      </Text>
      <Checkbox
        mt="md"
        label={t('householdRegister.reprint')}
        description={t('householdRegister.reprintHint')}
        checked={reprint}
        onChange={(event) => setReprint(event.currentTarget.checked)}
      />
      <Button mt="md" onClick={() => void download()} loading={busy} mih={44}>
        {t('householdRegister.downloadLetters')}
      </Button>
      <div role="status" aria-live="polite">
        {outcome && (
          <Text mt="sm" fw={600} c={outcome === 'done' ? 'civic.8' : 'red.9'}>
            {t(`householdRegister.letters.${outcome}`)}
          </Text>
        )}
      </div>
    </Paper>
  );
}

function Entries({ page, onPage }: { page: RegisterPage; onPage: (offset: number) => void }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { summary } = page;
  const figures = [
    ['households', summary.households],
    ['verified', summary.verified],
    ['lettersWaiting', summary.lettersWaiting],
    ['noLongerInRegister', summary.noLongerInRegister],
  ] as const;
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="entries-title">
      <Title order={2} size="h4" id="entries-title">
        {t('householdRegister.entriesTitle')}
      </Title>
      <dl
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fit, minmax(10rem, 1fr))',
          gap: 'var(--mantine-spacing-md)',
        }}
      >
        {figures.map(([key, value]) => (
          <div key={key}>
            <Text component="dt" size="sm" c="dimmed">
              {t(`householdRegister.summary.${key}`)}
            </Text>
            <Text component="dd" fw={700} size="xl" m={0} data-testid={`summary-${key}`}>
              {formatCount(value, locale)}
            </Text>
          </div>
        ))}
      </dl>
      <Text size="sm" c="dimmed">
        {summary.lastImportAt
          ? t('householdRegister.lastImport', { date: formatDate(summary.lastImportAt, locale) })
          : t('householdRegister.neverImported')}
      </Text>
      {page.items.length > 0 && (
        <Table.ScrollContainer minWidth={560} mt="md">
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('householdRegister.column.reference')}</Table.Th>
                <Table.Th>{t('householdRegister.column.address')}</Table.Th>
                <Table.Th>{t('householdRegister.column.members')}</Table.Th>
                <Table.Th>{t('householdRegister.column.language')}</Table.Th>
                <Table.Th>{t('householdRegister.column.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.items.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td>{entry.reference}</Table.Td>
                  <Table.Td>{entry.address}</Table.Td>
                  <Table.Td>{formatCount(entry.members, locale)}</Table.Td>
                  <Table.Td>{entry.locale ?? '–'}</Table.Td>
                  <Table.Td>
                    <Badge
                      variant="outline"
                      color={entry.status === 'verified' ? 'civic.8' : 'gray.8'}
                    >
                      {t(`householdRegister.status.${entry.status}`)}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {page.total > page.limit && (
        <Group mt="md" gap="sm">
          <Button
            variant="default"
            mih={44}
            disabled={page.offset === 0}
            onClick={() => onPage(Math.max(0, page.offset - page.limit))}
          >
            {t('householdRegister.previous')}
          </Button>
          <Text size="sm">
            {t('householdRegister.range', {
              from: formatCount(page.offset + 1, locale),
              to: formatCount(Math.min(page.offset + page.limit, page.total), locale),
              total: formatCount(page.total, locale),
            })}
          </Text>
          <Button
            variant="default"
            mih={44}
            disabled={page.offset + page.limit >= page.total}
            onClick={() => onPage(page.offset + page.limit)}
          >
            {t('householdRegister.next')}
          </Button>
        </Group>
      )}
    </Paper>
  );
}
