import {
  Alert,
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, postJson } from '../../../api/client';
import { useApiResource } from '../../../api/useApiResource';
import { ErrorState } from '../../../components/ErrorState';
import { AlertIcon, InfoIcon } from '../../../components/icons';
import { LoadingState } from '../../../components/LoadingState';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { formatCount, pluralForm } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import { formatDateTime } from '../../staff/format';
import { canScan, MemberCardScanner } from './MemberCardScanner';
import { NotForYourRole } from './NotForYourRole';
import { usePartner } from './PartnerLayout';
import classes from './portal.module.css';
import {
  ACTIVITIES_PATH,
  CONFIRMATIONS_PATH,
  type ConfirmableActivity,
  type Confirmation,
  formatQuantity,
  tidyMemberCode,
} from './portalApi';

const MAY_CONFIRM = ['partner_admin', 'confirmer'];
const RECENT_PATH = `${CONFIRMATIONS_PATH}?limit=10`;

/** Refusals the page explains in its own words; anything else is "that did not work". */
const KNOWN_REFUSALS = [
  'resident_not_found',
  'activity_not_confirmable',
  'activity_not_found',
  'activity_closed',
  'limit_reached',
  'claim_waiting',
  'cooldown',
  'budget_spent',
  'yearly_cap_reached',
  'partner_inactive',
  'not_signed_in',
  'permission_denied',
  'too_many_failures',
] as const;

type Outcome = { kind: 'done'; confirmation: Confirmation } | { kind: 'refused'; error: ApiError };

/** An id for one confirmation, so a retry after a lost answer cannot pay twice. */
function newConfirmationId(): string {
  if (typeof crypto.randomUUID === 'function') return `portal-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `portal-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** `/partner/confirm`: a confirmer confirms what a resident did, by member code or card. */
export function ConfirmPage() {
  const { me } = usePartner();
  if (!me.user.roles.some((role) => MAY_CONFIRM.includes(role))) {
    return <NotForYourRole job="confirm" />;
  }
  return <ConfirmForm />;
}

function ConfirmForm() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  useDocumentTitle(t('partnerPortal.confirm.title'));
  const activities = useApiResource<{ items: ConfirmableActivity[] }>(ACTIVITIES_PATH, {
    cache: false,
  });
  const recent = useApiResource<{ items: Confirmation[] }>(RECENT_PATH, { cache: false });
  const [activityId, setActivityId] = useState('');
  const [memberCode, setMemberCode] = useState('');
  const [quantity, setQuantity] = useState('');
  const [note, setNote] = useState('');
  const [scanning, setScanning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ memberCode?: string; quantity?: string }>({});
  const pendingId = useRef<string | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const memberRef = useRef<HTMLInputElement>(null);
  const scanPossible = canScan();

  const items = activities.status === 'ready' ? activities.data.items : [];
  const activity = items.find((a) => a.id === activityId) ?? items[0];
  const unit = activity?.current.points.mode === 'per_unit' ? activity.current.points.unit : null;

  useEffect(() => {
    if (outcome) resultRef.current?.focus();
  }, [outcome]);

  // A changed form is another confirmation: it gets its own id.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the fields are the trigger
  useEffect(() => {
    pendingId.current = null;
  }, [activity?.id, memberCode, quantity, note]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!activity) return;
    const errors: typeof fieldErrors = {};
    const code = tidyMemberCode(memberCode);
    if (code === '') errors.memberCode = t('partnerPortal.confirm.memberCodeMissing');
    const amount = Number(quantity.trim().replace(',', '.'));
    if (unit && !(quantity.trim() !== '' && Number.isFinite(amount) && amount > 0)) {
      errors.quantity = t('partnerPortal.confirm.quantityInvalid');
    }
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    pendingId.current ??= newConfirmationId();
    setBusy(true);
    try {
      const confirmation = await postJson<Confirmation>(CONFIRMATIONS_PATH, {
        activityId: activity.id,
        memberCode: code,
        ...(unit && { quantity: amount }),
        ...(note.trim() && { note: note.trim() }),
        externalId: pendingId.current,
      });
      setOutcome({ kind: 'done', confirmation });
      recent.retry();
    } catch (error) {
      const failure = error instanceof ApiError ? error : new ApiError('network', null, null);
      // After a lost answer the same id is sent again; after a refusal the form changes anyway.
      if (failure.kind !== 'network') pendingId.current = null;
      const fields = failure.errors.map((e) => e.field);
      setFieldErrors({
        ...(fields.includes('/memberCode') && {
          memberCode: t('partnerPortal.confirm.errors.member_code'),
        }),
        ...(fields.some((f) => f.includes('quantity')) && {
          quantity: t('partnerPortal.confirm.quantityInvalid'),
        }),
      });
      setOutcome({ kind: 'refused', error: failure });
    } finally {
      setBusy(false);
    }
  };

  const another = () => {
    setOutcome(null);
    setMemberCode('');
    setQuantity('');
    setNote('');
    setFieldErrors({});
    memberRef.current?.focus();
  };

  return (
    <Stack gap="lg" maw="48rem">
      <div>
        <Title order={1}>{t('partnerPortal.confirm.title')}</Title>
        <Text size="lg" mt="xs">
          {t('partnerPortal.confirm.intro')}
        </Text>
      </div>

      {activities.status === 'loading' && <LoadingState label={t('partnerPortal.loading')} />}
      {activities.status === 'error' && (
        <ErrorState error={activities.error} onRetry={activities.retry} />
      )}
      {activities.status === 'ready' && items.length === 0 && (
        <Alert color="blue" variant="light" icon={<InfoIcon />} data-testid="nothing-to-confirm">
          <Text>{t('partnerPortal.confirm.noActivities')}</Text>
        </Alert>
      )}

      {activity && (
        <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
          <form onSubmit={(event) => void submit(event)} noValidate>
            <Stack gap="md">
              <NativeSelect
                size="lg"
                label={t('partnerPortal.confirm.activity')}
                value={activity.id}
                onChange={(event) => setActivityId(event.currentTarget.value)}
                data={items.map((a) => ({ value: a.id, label: a.current.names[locale] }))}
              />
              <TextInput
                ref={memberRef}
                size="lg"
                label={t('partnerPortal.confirm.memberCode')}
                description={t('partnerPortal.confirm.memberCodeHint')}
                value={memberCode}
                onChange={(event) => setMemberCode(event.currentTarget.value.toUpperCase())}
                error={fieldErrors.memberCode}
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                classNames={{ input: classes.memberCode }}
                data-testid="member-code"
              />
              {scanPossible ? (
                scanning ? (
                  <MemberCardScanner
                    onCode={(code) => {
                      setMemberCode(tidyMemberCode(code));
                      setScanning(false);
                    }}
                    onClose={() => setScanning(false)}
                  />
                ) : (
                  <Button
                    variant="light"
                    size="md"
                    onClick={() => setScanning(true)}
                    className={classes.touch}
                    w="fit-content"
                  >
                    {t('partnerPortal.confirm.scan')}
                  </Button>
                )
              ) : (
                <Text size="sm" c="gray.8" data-testid="no-scanning">
                  {t('partnerPortal.confirm.scanUnavailable')}
                </Text>
              )}
              {unit && (
                <TextInput
                  size="lg"
                  label={t(`partnerPortal.confirm.quantity.${unit}`)}
                  value={quantity}
                  onChange={(event) => setQuantity(event.currentTarget.value)}
                  error={fieldErrors.quantity}
                  inputMode="decimal"
                  autoComplete="off"
                  maw="12rem"
                  data-testid="quantity"
                />
              )}
              <Textarea
                size="lg"
                label={t('partnerPortal.confirm.note')}
                value={note}
                onChange={(event) => setNote(event.currentTarget.value)}
                maxLength={1000}
                autosize
                minRows={1}
              />
              <Button type="submit" size="lg" loading={busy} className={classes.touch}>
                {t('partnerPortal.confirm.submit')}
              </Button>
            </Stack>
          </form>
        </Paper>
      )}

      {outcome && (
        <Paper
          ref={resultRef}
          tabIndex={-1}
          withBorder
          radius="md"
          p={{ base: 'md', sm: 'lg' }}
          className={classes.result}
          style={{
            borderColor:
              outcome.kind === 'done'
                ? 'var(--mantine-color-civic-7)'
                : 'var(--mantine-color-red-8)',
          }}
          role="status"
          data-testid="confirm-result"
        >
          {outcome.kind === 'done' ? (
            <Done confirmation={outcome.confirmation} />
          ) : (
            <Refused error={outcome.error} />
          )}
          <Button mt="md" size="md" variant="default" onClick={another} className={classes.touch}>
            {t('partnerPortal.confirm.another')}
          </Button>
        </Paper>
      )}

      <section aria-labelledby="recent-title">
        <Title order={2} size="h3" id="recent-title">
          {t('partnerPortal.confirm.recentTitle')}
        </Title>
        {recent.status === 'loading' && <LoadingState label={t('partnerPortal.loading')} />}
        {recent.status === 'error' && <ErrorState error={recent.error} onRetry={recent.retry} />}
        {recent.status === 'ready' && recent.data.items.length === 0 && (
          <Text mt="sm">{t('partnerPortal.confirm.recentNone')}</Text>
        )}
        {recent.status === 'ready' && recent.data.items.length > 0 && (
          <Stack
            component="ul"
            gap="xs"
            mt="sm"
            p={0}
            className={classes.jobs}
            data-testid="recent"
          >
            {recent.data.items.map((item) => (
              <Paper component="li" key={item.id} withBorder radius="sm" p="sm">
                <Group justify="space-between" gap="xs" wrap="wrap">
                  <Text fw={600} className={classes.wrap}>
                    {item.activity.names[locale]}
                  </Text>
                  <StatusBadge status={item.status} />
                </Group>
                <Text size="sm" c="gray.8" className={classes.wrap}>
                  <span className={classes.memberCode}>{item.memberCode}</span>
                  {' · '}
                  {item.unit && (
                    <>
                      {t(
                        `partnerPortal.confirm.amount.${item.unit}.${pluralForm(item.quantity, locale)}`,
                        {
                          amount: formatQuantity(item.quantity, locale),
                        },
                      )}
                      {' · '}
                    </>
                  )}
                  {t(`partnerPortal.confirm.points.${pluralForm(item.points, locale)}`, {
                    points: formatCount(item.points, locale),
                  })}
                  {' · '}
                  {formatDateTime(item.confirmedAt, locale)}
                </Text>
              </Paper>
            ))}
          </Stack>
        )}
      </section>
    </Stack>
  );
}

function Done({ confirmation }: { confirmation: Confirmation }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const approved = confirmation.status === 'approved';
  return (
    <Stack gap={6}>
      <Text className={classes.resultBig} c={approved ? 'civic.9' : 'dark.7'}>
        {approved
          ? t(`partnerPortal.confirm.given.${pluralForm(confirmation.points, locale)}`, {
              points: formatCount(confirmation.points, locale),
            })
          : t('partnerPortal.confirm.waiting')}
      </Text>
      <Text size="lg">
        {t('partnerPortal.confirm.doneFor', {
          activity: confirmation.activity.names[locale],
          memberCode: confirmation.memberCode,
        })}
      </Text>
      {!approved && <Text>{t('partnerPortal.confirm.waitingDetail')}</Text>}
    </Stack>
  );
}

function Refused({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  const code = error.code as (typeof KNOWN_REFUSALS)[number] | null;
  const memberCodeWrong = error.errors.some((e) => e.field === '/memberCode');
  const message =
    error.kind === 'network'
      ? t('partnerPortal.confirm.errors.network')
      : memberCodeWrong
        ? t('partnerPortal.confirm.errors.member_code')
        : code && KNOWN_REFUSALS.includes(code)
          ? t(`partnerPortal.confirm.errors.${code}`)
          : error.code === 'invalid_input' || error.code === 'validation_failed'
            ? t('partnerPortal.confirm.errors.invalid_input')
            : t('partnerPortal.confirm.errors.other');
  return (
    <Stack gap={6}>
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <AlertIcon size={36} color="var(--mantine-color-red-8)" />
        <Text className={classes.resultBig} c="red.9">
          {t('partnerPortal.confirm.notGiven')}
        </Text>
      </Group>
      <Text size="lg">{message}</Text>
      {error.code && (
        <Text size="sm" c="dimmed">
          {t('error.code', { code: error.code })}
        </Text>
      )}
    </Stack>
  );
}

const BADGE_COLORS: Record<Confirmation['status'], [string, string]> = {
  approved: ['civic', 'var(--mantine-color-civic-9)'],
  submitted: ['blue', 'var(--mantine-color-blue-9)'],
  rejected: ['gray', 'var(--mantine-color-dark-7)'],
  withdrawn: ['gray', 'var(--mantine-color-dark-7)'],
};

function StatusBadge({ status }: { status: Confirmation['status'] }) {
  const { t } = useTranslation();
  const [color, text] = BADGE_COLORS[status];
  return (
    <Badge
      variant="light"
      color={color}
      radius="sm"
      styles={{ root: { height: 'auto' }, label: { color: text, whiteSpace: 'normal' } }}
    >
      {t(`partnerPortal.confirm.status.${status}`)}
    </Badge>
  );
}
