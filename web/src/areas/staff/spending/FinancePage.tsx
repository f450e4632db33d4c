import {
  Alert,
  Anchor,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, postJson } from '../../../api/client';
import type { Municipality } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { AlertIcon } from '../../../components/icons';
import { LoadingState } from '../../../components/LoadingState';
import { formatMonth } from '../../../figures/format';
import { formatCount, formatEuroCents, languageName } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import type { Partner } from '../../partners/partnersApi';
import { ActionError } from '../ActionError';
import { can } from '../access';
import { type Column, DataTable } from '../DataTable';
import { formatDateTime } from '../format';
import { StaffGate } from '../StaffGate';
import classes from '../staff.module.css';
import { municipalityPath, useStaff } from '../staffContext';
import { useFreshResource } from '../useList';
import { lastMonthOf } from './labels';
import local from './spending.module.css';
import type { FlaggedRedemption, RefusalCode, Statement, TaxCredits } from './spendingTypes';
import { REFUSAL_CODES } from './spendingTypes';

/**
 * `/staff/finance`: settlement statements by month (finance issues them), redemptions that were
 * flagged and never paid, and the tax credits of a year (finance). Admins read the statements.
 */
export function FinancePage() {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('staffArea.nav.finance')} permission="vouchers.read">
      {(municipality) => <Finance municipality={municipality} />}
    </StaffGate>
  );
}

function Finance({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { me } = useStaff();
  const manages = can(me.user, 'settlement.manage');
  const partners = useFreshResource<{ items: Partner[] }>(
    `${municipalityPath(municipality)}/partners`,
  );
  const names = new Map(
    partners.status === 'ready' ? partners.data.items.map((p) => [p.id, p.name]) : [],
  );
  return (
    <Stack gap="xl">
      <Text>{manages ? t('staffFinance.intro') : t('staffFinance.introRead')}</Text>
      <nav aria-label={t('staffFinance.sectionsLabel')}>
        <Group gap="md">
          <Anchor href="#statements-title">{t('staffFinance.statements.title')}</Anchor>
          <Anchor href="#flagged-title">{t('staffFinance.flagged.title')}</Anchor>
          <Anchor href="#tax-title">{t('staffFinance.tax.title')}</Anchor>
        </Group>
      </nav>
      <Statements municipality={municipality} manages={manages} />
      <Flagged municipality={municipality} partnerNames={names} />
      {manages ? (
        <TaxCreditsSection municipality={municipality} />
      ) : (
        <Stack component="section" gap="sm" aria-labelledby="tax-title" className={local.section}>
          <Title order={2} id="tax-title">
            {t('staffFinance.tax.title')}
          </Title>
          <Text>{t('staffFinance.tax.financeOnly')}</Text>
        </Stack>
      )}
    </Stack>
  );
}

/** A statement's state in words: to pay, or paid. */
export function StatementBadge({ status }: { status: Statement['status'] }) {
  const { t } = useTranslation();
  return (
    <span className={local.badge} data-tone={status === 'paid' ? 'good' : 'warn'}>
      {t(`staffFinance.statuses.${status}`)}
    </span>
  );
}

function Statements({ municipality, manages }: { municipality: Municipality; manages: boolean }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const base = municipalityPath(municipality);
  const list = useFreshResource<{ items: Statement[] }>(`${base}/statements`);
  const [period, setPeriod] = useState('');
  const [status, setStatus] = useState<'' | Statement['status']>('');
  const [query, setQuery] = useState('');
  const [month, setMonth] = useState(() => lastMonthOf(new Date()));
  const [monthError, setMonthError] = useState<string | null>(null);
  const [issuing, setIssuing] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const issue = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(null);
    setFailure(null);
    const chosen = month.trim();
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(chosen)) {
      setMonthError(t('staffFinance.issue.monthInvalid'));
      document.getElementById('issue-month')?.focus();
      return;
    }
    setMonthError(null);
    setIssuing(true);
    try {
      const issued = await postJson<{ items: Statement[] }>(`${base}/statements`, {
        period: chosen,
      });
      const name = formatMonth(chosen, locale, 'long');
      const total = issued.items.reduce((sum, s) => sum + s.amountCents, 0);
      setDone(
        issued.items.length === 0
          ? t('staffFinance.issue.none', { month: name })
          : t('staffFinance.issue.done', {
              month: name,
              count: formatCount(issued.items.length, locale),
              amount: formatEuroCents(total, locale),
            }),
      );
      setPeriod(chosen);
      list.reload();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'period_not_over') {
        setMonthError(t('staffFinance.issue.notOver'));
        document.getElementById('issue-month')?.focus();
      } else {
        setFailure(error);
      }
    } finally {
      setIssuing(false);
    }
  };

  const all = list.status === 'ready' ? list.data.items : [];
  const periods = [...new Set(all.map((s) => s.period))].sort().reverse();
  const needle = query.trim().toLocaleLowerCase();
  const rows = all.filter(
    (s) =>
      (period === '' || s.period === period) &&
      (status === '' || s.status === status) &&
      (needle === '' || (s.partnerName ?? s.partnerId).toLocaleLowerCase().includes(needle)),
  );
  const total = rows.reduce((sum, s) => sum + s.amountCents, 0);
  const toPay = rows
    .filter((s) => s.status === 'issued')
    .reduce((sum, s) => sum + s.amountCents, 0);

  const columns: Column<Statement>[] = [
    {
      key: 'period',
      label: t('staffFinance.statements.month'),
      sortValue: (s) => s.period,
      render: (s) => (
        <span className={classes.nowrap}>{formatMonth(s.period, locale, 'long')}</span>
      ),
    },
    {
      key: 'partner',
      label: t('staffFinance.statements.partner'),
      sortValue: (s) => s.partnerName ?? s.partnerId,
      render: (s) => (
        <Anchor
          component={Link}
          to={`/staff/finance/statements/${encodeURIComponent(s.id)}`}
          aria-label={t('staffFinance.statements.openOf', {
            partner: s.partnerName ?? s.partnerId,
            month: formatMonth(s.period, locale, 'long'),
          })}
        >
          {s.partnerName ?? s.partnerId}
        </Anchor>
      ),
    },
    {
      key: 'lines',
      label: t('staffFinance.statements.redemptions'),
      numeric: true,
      sortValue: (s) => s.lines,
      render: (s) => formatCount(s.lines, locale),
    },
    {
      key: 'points',
      label: t('staffFinance.statements.points'),
      numeric: true,
      sortValue: (s) => s.points,
      render: (s) => formatCount(s.points, locale),
    },
    {
      key: 'amount',
      label: t('staffFinance.statements.amount'),
      numeric: true,
      sortValue: (s) => s.amountCents,
      render: (s) => formatEuroCents(s.amountCents, locale),
    },
    {
      key: 'status',
      label: t('staffFinance.statements.status'),
      sortValue: (s) => s.status,
      render: (s) => <StatementBadge status={s.status} />,
    },
    {
      key: 'paid',
      label: t('staffFinance.statements.paid'),
      sortValue: (s) => s.paidAt ?? '',
      render: (s) =>
        s.paidAt ? (
          <>
            {formatDateTime(s.paidAt, locale)}
            <br />
            <span className={classes.code}>{s.paymentReference}</span>
          </>
        ) : (
          '–'
        ),
    },
  ];

  return (
    <Stack
      component="section"
      gap="md"
      aria-labelledby="statements-title"
      className={local.section}
    >
      <Title order={2} id="statements-title">
        {t('staffFinance.statements.title')}
      </Title>
      <Text>{t('staffFinance.statements.intro')}</Text>
      {manages && (
        <Paper withBorder radius="md" p="md">
          <form onSubmit={(event) => void issue(event)} noValidate data-testid="issue-form">
            <Group align="flex-end" gap="sm" wrap="wrap">
              <TextInput
                id="issue-month"
                type="month"
                label={t('staffFinance.issue.month')}
                description={t('staffFinance.issue.monthHint')}
                value={month}
                onChange={(event) => {
                  setMonth(event.currentTarget.value);
                  setMonthError(null);
                }}
                error={monthError}
                w="16rem"
              />
              <Button type="submit" loading={issuing} className={classes.touch}>
                {t('staffFinance.issue.submit')}
              </Button>
            </Group>
          </form>
        </Paper>
      )}
      <div role="status" aria-live="polite" className={classes.status} data-testid="action-done">
        {done}
      </div>
      {failure !== null && <ActionError error={failure} />}
      <Group align="flex-end" gap="sm" wrap="wrap">
        <NativeSelect
          label={t('staffFinance.statements.month')}
          value={period}
          onChange={(event) => setPeriod(event.currentTarget.value)}
          data={[
            { value: '', label: t('staffFinance.statements.allMonths') },
            ...periods.map((p) => ({ value: p, label: formatMonth(p, locale, 'long') })),
          ]}
          data-testid="statements-month"
        />
        <NativeSelect
          label={t('staffFinance.statements.status')}
          value={status}
          onChange={(event) => setStatus(event.currentTarget.value as typeof status)}
          data={[
            { value: '', label: t('staffFinance.statements.allStatuses') },
            { value: 'issued', label: t('staffFinance.statuses.issued') },
            { value: 'paid', label: t('staffFinance.statuses.paid') },
          ]}
        />
        <TextInput
          label={t('staffFinance.statements.search')}
          value={query}
          onChange={(event) => setQuery(event.currentTarget.value)}
          miw="min(14rem, 100%)"
        />
      </Group>
      {list.status === 'loading' && <LoadingState label={t('staffFinance.statements.loading')} />}
      {list.status === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.status === 'ready' && (
        <>
          <dl className={local.totals} data-testid="statements-totals">
            <div>
              <dt>{t('staffFinance.statements.totalShown')}</dt>
              <dd>{formatEuroCents(total, locale)}</dd>
            </div>
            <div>
              <dt>{t('staffFinance.statements.toPay')}</dt>
              <dd>{formatEuroCents(toPay, locale)}</dd>
            </div>
          </dl>
          <DataTable
            caption={t('staffFinance.statements.caption', {
              municipality: municipality.names[locale],
              shown: rows.length,
            })}
            columns={columns}
            rows={rows}
            rowKey={(s) => s.id}
            initialSort={{ key: 'period', direction: 'descending' }}
            testId="statements-table"
            minWidth={880}
          />
        </>
      )}
    </Stack>
  );
}

/** Why a flagged redemption was not paid, in words. */
function flagReason(r: FlaggedRedemption, t: TFunction): string {
  if (r.outcome === 'duplicate') return t('staffFinance.flagged.duplicate');
  const code = (REFUSAL_CODES as readonly string[]).includes(r.refusalCode ?? '')
    ? (r.refusalCode as RefusalCode)
    : null;
  return code
    ? t('staffFinance.flagged.refusedBecause', { reason: t(`staffFinance.refusals.${code}`) })
    : t('staffFinance.flagged.refused');
}

function Flagged({
  municipality,
  partnerNames,
}: {
  municipality: Municipality;
  partnerNames: Map<string, string>;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const list = useFreshResource<{ items: FlaggedRedemption[] }>(
    `${municipalityPath(municipality)}/redemptions/flagged`,
  );
  const columns: Column<FlaggedRedemption>[] = [
    {
      key: 'received',
      label: t('staffFinance.flagged.received'),
      sortValue: (r) => r.receivedAt,
      render: (r) => formatDateTime(r.receivedAt, locale),
    },
    {
      key: 'redeemed',
      label: t('staffFinance.flagged.redeemed'),
      sortValue: (r) => r.redeemedAt,
      render: (r) => formatDateTime(r.redeemedAt, locale),
    },
    {
      key: 'partner',
      label: t('staffFinance.statements.partner'),
      sortValue: (r) => partnerNames.get(r.partnerId) ?? r.partnerId,
      render: (r) => partnerNames.get(r.partnerId) ?? r.partnerId,
    },
    {
      key: 'what',
      label: t('staffFinance.flagged.what'),
      sortValue: (r) => r.outcome,
      render: (r) => (
        <>
          <span className={local.badge} data-tone="bad">
            {t('staffFinance.flagged.neverPaid')}
          </span>{' '}
          {flagReason(r, t)}
        </>
      ),
    },
    // Points and value are 0 on a redemption that was never paid: the voucher says what it was.
    {
      key: 'voucher',
      label: t('staffFinance.flagged.voucher'),
      sortValue: (r) => r.voucherId,
      render: (r) => <span className={classes.code}>{r.voucherId}</span>,
    },
    {
      key: 'device',
      label: t('staffFinance.flagged.device'),
      sortValue: (r) => r.deviceId ?? '',
      render: (r) => <span className={classes.code}>{r.deviceId ?? '–'}</span>,
    },
  ];
  return (
    <Stack component="section" gap="md" aria-labelledby="flagged-title" className={local.section}>
      <Title order={2} id="flagged-title">
        {t('staffFinance.flagged.title')}
      </Title>
      <Text>{t('staffFinance.flagged.intro')}</Text>
      {list.status === 'loading' && <LoadingState label={t('staffFinance.flagged.loading')} />}
      {list.status === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.status === 'ready' && (
        <DataTable
          caption={t('staffFinance.flagged.caption', { shown: list.data.items.length })}
          columns={columns}
          rows={list.data.items}
          rowKey={(r) => r.id}
          initialSort={{ key: 'received', direction: 'descending' }}
          testId="flagged-table"
          minWidth={1000}
        />
      )}
    </Stack>
  );
}

function TaxCreditsSection({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const base = municipalityPath(municipality);
  const [typed, setTyped] = useState(() => String(new Date().getFullYear()));
  const [year, setYear] = useState(typed);
  const [yearError, setYearError] = useState<string | null>(null);
  const credits = useFreshResource<TaxCredits>(`${base}/tax-credits?year=${year}`);

  const show = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = Number(typed.trim());
    if (!/^\d{4}$/.test(typed.trim()) || value < 2000 || value > 2200) {
      setYearError(t('staffFinance.tax.yearInvalid'));
      document.getElementById('tax-year')?.focus();
      return;
    }
    setYearError(null);
    setYear(String(value));
  };

  type Household = TaxCredits['households'][number];
  const columns: Column<Household>[] = [
    {
      key: 'reference',
      label: t('staffFinance.tax.reference'),
      sortValue: (h) => h.reference ?? '',
      render: (h) =>
        h.reference ? (
          <span className={classes.code}>{h.reference}</span>
        ) : (
          t('staffFinance.tax.noReference')
        ),
    },
    {
      key: 'address',
      label: t('staffFinance.tax.address'),
      sortValue: (h) => h.address,
      render: (h) => h.address,
    },
    {
      key: 'language',
      label: t('staffFinance.tax.language'),
      sortValue: (h) => h.locale,
      render: (h) => languageName(h.locale, locale),
    },
    {
      key: 'reductions',
      label: t('staffFinance.tax.reductions'),
      numeric: true,
      sortValue: (h) => h.reductions,
      render: (h) => formatCount(h.reductions, locale),
    },
    {
      key: 'points',
      label: t('staffFinance.statements.points'),
      numeric: true,
      sortValue: (h) => h.points,
      render: (h) => formatCount(h.points, locale),
    },
    {
      key: 'amount',
      label: t('staffFinance.tax.amount'),
      numeric: true,
      sortValue: (h) => h.amountCents,
      render: (h) => formatEuroCents(h.amountCents, locale),
    },
  ];

  return (
    <Stack component="section" gap="md" aria-labelledby="tax-title" className={local.section}>
      <Title order={2} id="tax-title">
        {t('staffFinance.tax.title')}
      </Title>
      <Text>{t('staffFinance.tax.intro')}</Text>
      <form onSubmit={show} noValidate>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            id="tax-year"
            label={t('staffFinance.tax.year')}
            inputMode="numeric"
            maxLength={4}
            w="10rem"
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
            error={yearError}
          />
          <Button type="submit" variant="default" className={classes.touch}>
            {t('staffFinance.tax.show')}
          </Button>
        </Group>
      </form>
      {credits.status === 'loading' && <LoadingState label={t('staffFinance.tax.loading')} />}
      {credits.status === 'error' && <ErrorState error={credits.error} onRetry={credits.reload} />}
      {credits.status === 'ready' && (
        <>
          <dl className={local.totals} data-testid="tax-totals">
            <div>
              <dt>{t('staffFinance.tax.households')}</dt>
              <dd>{formatCount(credits.data.households.length, locale)}</dd>
            </div>
            <div>
              <dt>{t('staffFinance.tax.total', { year: credits.data.year })}</dt>
              <dd>{formatEuroCents(credits.data.totalCents, locale)}</dd>
            </div>
          </dl>
          {credits.data.households.some((h) => !h.reference) && (
            <Alert color="notice" variant="light" icon={<AlertIcon />}>
              {t('staffFinance.tax.missingReference')}
            </Alert>
          )}
          <DataTable
            caption={t('staffFinance.tax.caption', { year: credits.data.year })}
            columns={columns}
            rows={credits.data.households}
            rowKey={(h) => h.householdId}
            initialSort={{ key: 'address', direction: 'ascending' }}
            testId="tax-table"
            minWidth={760}
          />
          <Group gap="sm">
            <Button
              component="a"
              href={`${base}/tax-credits/statement.csv?year=${credits.data.year}`}
              download={`tax-credits-${municipality.slug}-${credits.data.year}.csv`}
              variant="default"
              className={classes.touch}
              data-testid="tax-csv"
            >
              {t('staffFinance.tax.csv')}
            </Button>
            <Button
              component="a"
              href={`${base}/tax-credits/letters.pdf?year=${credits.data.year}`}
              download={`tax-letters-${municipality.slug}-${credits.data.year}.pdf`}
              variant="default"
              className={classes.touch}
              data-testid="tax-letters"
            >
              {t('staffFinance.tax.letters')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
