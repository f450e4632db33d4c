import { Alert, Anchor, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, postJson } from '../../../api/client';
import type { Municipality } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { AlertIcon } from '../../../components/icons';
import { LoadingState } from '../../../components/LoadingState';
import { formatMonth } from '../../../figures/format';
import { formatCount, formatEuroCents } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import { can } from '../access';
import { ConfirmDialog } from '../ConfirmDialog';
import { type Column, DataTable } from '../DataTable';
import { formatDateTime } from '../format';
import { StaffGate } from '../StaffGate';
import classes from '../staff.module.css';
import { municipalityPath, useStaff } from '../staffContext';
import { useFreshResource } from '../useList';
import { StatementBadge } from './FinancePage';
import local from './spending.module.css';
import type { Statement, StatementDetail } from './spendingTypes';

/** `/staff/finance/statements/:statementId`: a statement's lines, totals, files and payment. */
export function StatementPage() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { statementId = '' } = useParams();
  const [title, setTitle] = useState(t('staffFinance.statement.title'));
  const onLoad = useCallback(
    (statement: Statement) =>
      setTitle(
        t('staffFinance.statement.titleOf', {
          partner: statement.partnerName ?? statement.partnerId,
          month: formatMonth(statement.period, locale, 'long'),
        }),
      ),
    [t, locale],
  );
  return (
    <StaffGate title={title} permission="vouchers.read">
      {(municipality) => (
        <LoadedStatement municipality={municipality} statementId={statementId} onLoad={onLoad} />
      )}
    </StaffGate>
  );
}

function LoadedStatement({
  municipality,
  statementId,
  onLoad,
}: {
  municipality: Municipality;
  statementId: string;
  onLoad: (statement: Statement) => void;
}) {
  const { t } = useTranslation();
  const resource = useFreshResource<StatementDetail>(
    `${municipalityPath(municipality)}/statements/${encodeURIComponent(statementId)}`,
  );
  const loaded = resource.status === 'ready' ? resource.data.statement : null;
  useEffect(() => {
    if (loaded) onLoad(loaded);
  }, [loaded, onLoad]);
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/staff/finance" style={{ alignSelf: 'flex-start' }}>
        {t('staffFinance.statement.back')}
      </Anchor>
      {resource.status === 'loading' && (
        <LoadingState label={t('staffFinance.statement.loading')} />
      )}
      {resource.status === 'error' && (
        <ErrorState error={resource.error} onRetry={resource.reload} />
      )}
      {resource.status === 'ready' && (
        <StatementView municipality={municipality} detail={resource.data} />
      )}
    </Stack>
  );
}

function StatementView({
  municipality,
  detail,
}: {
  municipality: Municipality;
  detail: StatementDetail;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { me } = useStaff();
  const [statement, setStatement] = useState(detail.statement);
  const path = `${municipalityPath(municipality)}/statements/${encodeURIComponent(statement.id)}`;
  const partner = statement.partnerName ?? statement.partnerId;
  const month = formatMonth(statement.period, locale, 'long');
  const file = `statement-${statement.period}-${statement.id}`;

  type Line = StatementDetail['lines'][number];
  const columns: Column<Line>[] = [
    {
      key: 'redeemed',
      label: t('staffFinance.statement.redeemedAt'),
      sortValue: (l) => l.redeemedAt,
      render: (l) => formatDateTime(l.redeemedAt, locale),
    },
    {
      key: 'reward',
      label: t('staffFinance.statement.reward'),
      sortValue: (l) => l.rewardNames[locale],
      render: (l) => l.rewardNames[locale],
    },
    {
      key: 'channel',
      label: t('staffFinance.statement.channel'),
      sortValue: (l) => l.channel,
      render: (l) => t(`staffFinance.channels.${l.channel}`),
    },
    {
      key: 'code',
      label: t('staffFinance.statement.voucher'),
      sortValue: (l) => l.shortCode ?? l.voucherId,
      render: (l) => <span className={classes.code}>{l.shortCode ?? l.voucherId}</span>,
    },
    {
      key: 'points',
      label: t('staffFinance.statements.points'),
      numeric: true,
      sortValue: (l) => l.points,
      render: (l) => formatCount(l.points, locale),
    },
    {
      key: 'amount',
      label: t('staffFinance.statements.amount'),
      numeric: true,
      sortValue: (l) => l.valueCents,
      render: (l) => formatEuroCents(l.valueCents, locale),
    },
  ];

  return (
    <Stack gap="lg">
      <Paper withBorder radius="md" p="md" data-testid="statement-summary">
        <Stack gap="sm">
          <Group gap="sm">
            <StatementBadge status={statement.status} />
            <Text size="sm" c="dimmed">
              {t('staffFinance.statement.issuedAt', {
                date: formatDateTime(statement.createdAt, locale),
              })}
            </Text>
          </Group>
          <dl className={local.totals} data-testid="statement-totals">
            <div>
              <dt>{t('staffFinance.statements.partner')}</dt>
              <dd>{partner}</dd>
            </div>
            <div>
              <dt>{t('staffFinance.statements.month')}</dt>
              <dd>{month}</dd>
            </div>
            <div>
              <dt>{t('staffFinance.statements.redemptions')}</dt>
              <dd>{formatCount(statement.lines, locale)}</dd>
            </div>
            <div>
              <dt>{t('staffFinance.statements.points')}</dt>
              <dd>{formatCount(statement.points, locale)}</dd>
            </div>
            <div>
              <dt>{t('staffFinance.statement.total')}</dt>
              <dd data-testid="statement-total">
                {formatEuroCents(statement.amountCents, locale)}
              </dd>
            </div>
          </dl>
          {statement.status === 'paid' && statement.paidAt && (
            <Text data-testid="statement-paid">
              {t('staffFinance.statement.paidWith', {
                date: formatDateTime(statement.paidAt, locale),
                reference: statement.paymentReference ?? '',
              })}
            </Text>
          )}
          <Group gap="sm">
            <Button
              component="a"
              href={`${path}/statement.csv`}
              download={`${file}.csv`}
              variant="default"
              className={classes.touch}
              data-testid="statement-csv"
            >
              {t('staffFinance.statement.csv')}
            </Button>
            <Button
              component="a"
              href={`${path}/statement.pdf`}
              download={`${file}.pdf`}
              variant="default"
              className={classes.touch}
              data-testid="statement-pdf"
            >
              {t('staffFinance.statement.pdf')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      {statement.status === 'issued' && can(me.user, 'settlement.manage') && (
        <PayForm statement={statement} path={path} onPaid={setStatement} />
      )}
      <Title order={2} size="h3">
        {t('staffFinance.statement.linesTitle')}
      </Title>
      <DataTable
        caption={t('staffFinance.statement.caption', { partner, month })}
        columns={columns}
        rows={detail.lines}
        rowKey={(l) => l.redemptionId}
        initialSort={{ key: 'redeemed', direction: 'ascending' }}
        testId="statement-lines"
        minWidth={760}
      />
    </Stack>
  );
}

/** "Mark as paid" with the payment reference; it asks first, as it cannot be undone. */
function PayForm({
  statement,
  path,
  onPaid,
}: {
  statement: Statement;
  path: string;
  onPaid: (statement: Statement) => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [reference, setReference] = useState('');
  const [missing, setMissing] = useState(false);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [paidElsewhere, setPaidElsewhere] = useState(false);

  const ask = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (reference.trim() === '') {
      setMissing(true);
      document.getElementById('payment-reference')?.focus();
      return;
    }
    setMissing(false);
    setFailure(null);
    setAsking(true);
  };

  const pay = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const paid = await postJson<Statement>(`${path}/paid`, {
        paymentReference: reference.trim(),
      });
      setAsking(false);
      onPaid(paid);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'statement_paid') {
        setAsking(false);
        setPaidElsewhere(true);
      } else {
        setFailure(error);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="pay-title">
      <Title order={2} size="h3" id="pay-title">
        {t('staffFinance.pay.title')}
      </Title>
      <Text mt="xs">{t('staffFinance.pay.intro')}</Text>
      {paidElsewhere && (
        <Alert role="alert" color="red" variant="light" icon={<AlertIcon />} mt="sm">
          {t('staffFinance.pay.alreadyPaid')}
        </Alert>
      )}
      <form onSubmit={ask} noValidate data-testid="pay-form">
        <Group align="flex-end" gap="sm" wrap="wrap" mt="sm">
          <TextInput
            id="payment-reference"
            label={t('staffFinance.pay.reference')}
            description={t('staffFinance.pay.referenceHint')}
            maxLength={100}
            w="22rem"
            value={reference}
            onChange={(event) => setReference(event.currentTarget.value)}
            error={missing ? t('staffFinance.pay.referenceMissing') : undefined}
          />
          <Button type="submit" className={classes.touch}>
            {t('staffFinance.pay.submit')}
          </Button>
        </Group>
      </form>
      {asking && (
        <ConfirmDialog
          title={t('staffFinance.pay.confirmTitle')}
          confirmLabel={t('staffFinance.pay.confirm')}
          busy={busy}
          failure={failure}
          onConfirm={() => void pay()}
          onCancel={() => setAsking(false)}
        >
          <Text>
            {t('staffFinance.pay.confirmText', {
              partner: statement.partnerName ?? statement.partnerId,
              month: formatMonth(statement.period, locale, 'long'),
              amount: formatEuroCents(statement.amountCents, locale),
              reference: reference.trim(),
            })}
          </Text>
          <Text fw={700}>{t('staffFinance.pay.cannotUndo')}</Text>
        </ConfirmDialog>
      )}
    </Paper>
  );
}
