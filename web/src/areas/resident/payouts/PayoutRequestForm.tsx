import { Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount, pluralForm } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import earn from '../earn/earn.module.css';
import { FailureAlert } from '../FailureAlert';
import { explainPayoutProblem, isRefusal, payoutProblemKey } from './payoutProblems';
import { clearPayoutDraft, readPayoutDraft, writePayoutDraft } from './payoutRequestDraft';
import classes from './payouts.module.css';
import { requestPayout } from './payoutsApi';
import type { EnabledPayoutSettings, Payout } from './payoutTypes';
import { formatTokenUnits, unitsForPoints } from './tokenAmount';

/**
 * "Pay me out": how many points, what they turn into, and the button. The request's
 * clientRequestId (and the points typed) are kept for the tab until the payout is stored, so
 * pressing again after a lost answer never pays twice.
 */
export function PayoutRequestForm({
  settings,
  onRequested,
}: {
  settings: EnabledPayoutSettings;
  onRequested: (payout: Payout) => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [draft, setDraft] = useState(readPayoutDraft);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ error: unknown } | 'amount' | null>(null);
  const [done, setDone] = useState<Payout | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const count = (n: number) =>
    t(`payouts.pointsCount.${pluralForm(n, locale)}`, { points: formatCount(n, locale) });

  const typed = draft.points.trim();
  const points = /^\d+$/.test(typed) ? Number(typed) : null;
  const units = points === null ? null : unitsForPoints(points, settings.tokenUnitsPerPoint);
  const address = settings.address;
  const coolingOff = address !== null && new Date(address.usableFrom).getTime() > Date.now();
  const needsApproval =
    points !== null &&
    settings.approvalThresholdPoints !== null &&
    points > settings.approvalThresholdPoints;

  const update = (value: string) => {
    const next = { ...draft, points: value };
    setDraft(next);
    writePayoutDraft(next);
    setDone(null);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFailure(null);
    setDone(null);
    if (points === null || points <= 0) {
      setFailure('amount');
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const payout = await requestPayout(points, draft.clientRequestId);
      setDraft(clearPayoutDraft());
      setDone(payout);
      onRequested(payout);
    } catch (error) {
      // The id belongs to another request (e.g. another amount): the next try is a new request.
      if (payoutProblemKey(error) === 'payout_request_id_reused') {
        const fresh = clearPayoutDraft();
        const next = { ...fresh, points: draft.points };
        writePayoutDraft(next);
        setDraft(next);
      }
      setFailure({ error });
    } finally {
      setBusy(false);
    }
  };

  const problemKey = failure && failure !== 'amount' ? payoutProblemKey(failure.error) : null;
  const problem =
    failure === 'amount'
      ? t('payouts.request.amountHint')
      : failure
        ? explainPayoutProblem(t, failure.error)
        : null;

  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="payout-request">
      <form onSubmit={(event) => void submit(event)} noValidate data-testid="payout-request">
        <Stack gap="md">
          <Title order={2} size="h4" id="payout-request">
            {t('payouts.request.title')}
          </Title>
          <Text data-testid="payout-balance">
            {t('payouts.request.balance', { points: count(settings.availablePoints) })}
          </Text>
          {!address && <Text fw={700}>{t('payouts.request.needAddress')}</Text>}
          {coolingOff && <Text fw={700}>{t('payouts.request.coolingOff')}</Text>}
          <TextInput
            ref={input}
            label={t('payouts.request.points')}
            description={t('payouts.request.pointsHint', {
              min: formatCount(settings.minPoints, locale),
              max: formatCount(settings.maxPoints, locale),
            })}
            inputMode="numeric"
            size="md"
            maw="16rem"
            value={draft.points}
            onChange={(event) => update(event.currentTarget.value)}
            aria-invalid={failure === 'amount' || undefined}
            data-testid="payout-points"
          />
          {units !== null && (
            <Text fw={700} data-testid="payout-quote">
              {t('payouts.request.quote', {
                tokens: formatTokenUnits(units, settings.tokenDecimals, locale),
                symbol: settings.tokenSymbol,
              })}
            </Text>
          )}
          {needsApproval && <Text>{t('payouts.request.needsApproval')}</Text>}
          {problem && (
            <FailureAlert
              title={t('payouts.request.problemTitle')}
              color={problemKey && isRefusal(problemKey) ? 'notice' : 'red'}
              testId="payout-problem"
            >
              {problem}
            </FailureAlert>
          )}
          <div role="status" aria-live="polite" className={classes.live}>
            {done && (
              <Text fw={700} data-testid="payout-requested">
                {done.status === 'awaiting_approval'
                  ? t('payouts.request.doneApproval', { points: count(done.points) })
                  : t('payouts.request.done', { points: count(done.points) })}
              </Text>
            )}
          </div>
          <Button
            type="submit"
            size="lg"
            fullWidth
            loading={busy}
            disabled={!address || coolingOff}
            className={earn.wrap}
            classNames={{ label: earn.wrapLabel }}
            data-testid="payout-submit"
          >
            {t('payouts.request.submit')}
          </Button>
          <Text size="sm">{t('payouts.request.final')}</Text>
        </Stack>
      </form>
    </Paper>
  );
}
