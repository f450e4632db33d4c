import { Button, Loader, Stack, Text, TextInput } from '@mantine/core';
import { type RefObject, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalizedText } from '../../api/types';
import { CheckCircleIcon, CrossCircleIcon } from '../../components/icons';
import { formatEuroCents, intlLocale } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { formatDateTime } from '../staff/format';
import { OK_INK } from './colors';
import type { OfflineRefusal } from './offlineCheck';
import classes from './pos.module.css';
import type { Presented, Redemption, ServerRefusal } from './posApi';
import { UNDO_WINDOW_MS } from './posApi';
import type { OfflineRedemption } from './posStore';
import { useNow } from './useNow';

/** A voucher as the till shows it. */
export interface Shown {
  names: LocalizedText;
  /** Its value in cents (a percentage's most; the discount given once redeemed). */
  valueCents: number;
  percent: number | null;
  expiresAt: string | null;
}

/** Why the till says no (or could not ask): each has its text in `pos.reasons`. */
export type Reason =
  | ServerRefusal
  | OfflineRefusal
  | 'offline_code'
  | 'offline_no_kit'
  | 'partner_inactive'
  | 'not_signed_in'
  | 'permission_denied'
  | 'location_not_found'
  | 'too_many'
  | 'network'
  | 'other';

export type UndoProblem = Reason | 'undo_window_passed' | 'redemption_not_undoable';

export type Screen =
  | { kind: 'ready' }
  | { kind: 'checking' }
  | {
      kind: 'valid';
      mode: 'online' | 'offline';
      presented: Presented;
      voucher: Shown;
      clientRedemptionId: string;
      /** Offline: the token's ids, kept with the redemption. */
      claims?: { vid: string; jti: string; rwd: string };
    }
  | { kind: 'redeemed'; voucher: Shown; redemption: Redemption; undoUntil: number }
  | { kind: 'accepted'; voucher: Shown; record: OfflineRedemption }
  | {
      kind: 'refused';
      reason: Reason;
      voucher?: Shown;
      redeemedAt?: string;
      where?: string;
      /** Decided by the till itself, offline. */
      offline?: boolean;
      typed?: string;
    }
  | { kind: 'undone'; voucher: Shown | null };

/** The reason's sentence, with when and where for a voucher already redeemed. */
export function useReasonText() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (reason: Reason, facts: { redeemedAt?: string; where?: string } = {}) => {
    if (reason === 'voucher_already_redeemed' && facts.redeemedAt) {
      return t('pos.alreadyRedeemedAt', {
        when: formatDateTime(facts.redeemedAt, locale),
        where: facts.where ?? t('pos.somewhere'),
      });
    }
    return t(`pos.reasons.${reason}`);
  };
}

interface PosResultProps {
  screen: Exclude<Screen, { kind: 'ready' }>;
  busy: boolean;
  discount: string;
  discountError: string | null;
  onDiscount(value: string): void;
  undoError: UndoProblem | null;
  onRedeem(): void;
  onUndoOnline(redemptionId: string): void;
  onUndoOffline(clientRedemptionId: string): void;
  onNext(): void;
}

/**
 * The answer, filling the screen: green (can be redeemed; redeemed; accepted offline), red (why
 * not), or grey (checking; undone). Its main button takes the focus, so a keyboard or a
 * hand scanner's Enter goes on at once; the panel is a live region for screen readers.
 */
export function PosResult(props: PosResultProps) {
  const { screen, busy, onNext } = props;
  const { t } = useTranslation();
  const main = useRef<HTMLButtonElement>(null);
  const discountRef = useRef<HTMLInputElement>(null);

  // A new screen moves the focus.
  useEffect(() => {
    if (screen.kind === 'valid' && screen.voucher.percent !== null) discountRef.current?.focus();
    else main.current?.focus();
  }, [screen]);

  if (screen.kind === 'checking') {
    return (
      <div
        className={`${classes.result} ${classes.neutral}`}
        data-testid="pos-result"
        data-kind="checking"
      >
        <Stack align="center" gap="md">
          <Loader size="xl" aria-hidden="true" />
          <Text className={classes.headline} role="status">
            {t('pos.checking')}
          </Text>
        </Stack>
      </div>
    );
  }

  const tone =
    screen.kind === 'refused'
      ? classes.no
      : screen.kind === 'undone'
        ? classes.neutral
        : classes.ok;
  return (
    <section
      className={`${classes.result} ${tone}`}
      aria-labelledby="pos-result-title"
      data-testid="pos-result"
      data-kind={screen.kind}
      data-reason={screen.kind === 'refused' ? screen.reason : undefined}
    >
      <div aria-live="assertive" aria-atomic="true" className={classes.resultBody}>
        <Body {...props} discountRef={discountRef} />
      </div>
      <div className={classes.actions}>
        {screen.kind === 'valid' ? (
          <>
            <Button
              ref={main}
              size="xl"
              color={OK_INK}
              onClick={props.onRedeem}
              loading={busy}
              className={classes.bigButton}
              data-testid="pos-redeem"
            >
              {screen.mode === 'offline' ? t('pos.redeemOffline') : t('pos.redeem')}
            </Button>
            <Button
              size="lg"
              variant="default"
              onClick={onNext}
              disabled={busy}
              className={classes.touch}
            >
              {t('pos.dontRedeem')}
            </Button>
          </>
        ) : (
          <>
            <Button
              ref={main}
              size="xl"
              onClick={onNext}
              className={classes.bigButton}
              color={screen.kind === 'refused' ? 'dark.7' : undefined}
              data-testid="pos-next"
            >
              {t('pos.next')}
            </Button>
            <UndoButton {...props} />
          </>
        )}
      </div>
    </section>
  );
}

function Body({
  screen,
  discount,
  discountError,
  onDiscount,
  discountRef,
}: PosResultProps & { discountRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const reasonText = useReasonText();
  if (screen.kind === 'checking') return null;

  if (screen.kind === 'refused') {
    return (
      <Stack gap="sm">
        <div className={classes.statusLine}>
          <CrossCircleIcon size={56} />
          <Text component="h2" id="pos-result-title" className={classes.headline}>
            {t('pos.refused')}
          </Text>
        </div>
        <Text className={classes.reason} data-testid="pos-reason">
          {reasonText(screen.reason, screen)}
        </Text>
        {screen.voucher && (
          <Text size="xl" className={classes.wrap}>
            {screen.voucher.names[locale]}
          </Text>
        )}
        {screen.offline && <Text size="lg">{t('pos.checkedHere')}</Text>}
      </Stack>
    );
  }

  if (screen.kind === 'undone') {
    return (
      <Stack gap="sm">
        <Text component="h2" id="pos-result-title" className={classes.headline}>
          {t('pos.undone')}
        </Text>
        {screen.voucher && <Text className={classes.reward}>{screen.voucher.names[locale]}</Text>}
        <Text size="xl">{t('pos.undoneDetail')}</Text>
      </Stack>
    );
  }

  const { voucher } = screen;
  const headline =
    screen.kind === 'valid'
      ? t('pos.valid')
      : screen.kind === 'redeemed'
        ? t('pos.redeemed')
        : t('pos.accepted');
  return (
    <Stack gap="xs">
      <div className={classes.statusLine}>
        <CheckCircleIcon size={56} />
        <Text component="h2" id="pos-result-title" className={classes.headline}>
          {headline}
        </Text>
      </div>
      <Text className={classes.reward} data-testid="pos-reward">
        {voucher.names[locale]}
      </Text>
      <Text className={classes.value} data-testid="pos-value">
        {voucher.percent !== null && screen.kind === 'valid'
          ? t('pos.percentValue', {
              percent: voucher.percent,
              most: formatEuroCents(voucher.valueCents, locale),
            })
          : formatEuroCents(voucher.valueCents, locale)}
      </Text>
      {screen.kind === 'valid' && voucher.expiresAt && (
        <Text size="lg">
          {t('pos.validUntil', { when: formatDateTime(voucher.expiresAt, locale) })}
        </Text>
      )}
      {screen.kind === 'valid' && voucher.percent !== null && (
        <TextInput
          ref={discountRef}
          size="xl"
          label={t('pos.discount.label', { most: formatEuroCents(voucher.valueCents, locale) })}
          value={discount}
          onChange={(event) => onDiscount(event.currentTarget.value)}
          error={discountError}
          inputMode="decimal"
          autoComplete="off"
          maw="16rem"
          data-testid="pos-discount"
        />
      )}
      {screen.kind === 'valid' && screen.mode === 'offline' && (
        <Text size="lg" fw={600}>
          {t('pos.offlineValid')}
        </Text>
      )}
      {screen.kind === 'accepted' && (
        <Text size="lg" fw={600}>
          {t('pos.acceptedDetail')}
        </Text>
      )}
    </Stack>
  );
}

function UndoButton({ screen, busy, undoError, onUndoOnline, onUndoOffline }: PosResultProps) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const reasonText = useReasonText();
  const now = useNow(5000);
  let until: number | null = null;
  let undo: (() => void) | null = null;
  if (screen.kind === 'redeemed') {
    until = screen.undoUntil;
    undo = () => onUndoOnline(screen.redemption.id);
  } else if (screen.kind === 'accepted' && screen.record.state === 'waiting') {
    until = Date.parse(screen.record.redeemedAt) + UNDO_WINDOW_MS;
    undo = () => onUndoOffline(screen.record.clientRedemptionId);
  }
  if (until === null || !undo || now >= until) return null;
  const time = new Intl.DateTimeFormat(intlLocale(locale), { timeStyle: 'short' }).format(until);
  return (
    <Stack gap={4}>
      <Button
        size="lg"
        variant="default"
        onClick={undo}
        loading={busy}
        className={classes.touch}
        data-testid="pos-undo"
      >
        {t('pos.undo', { time })}
      </Button>
      {undoError && (
        <Text role="alert" c="red.9" fw={600}>
          {undoError === 'undo_window_passed' || undoError === 'redemption_not_undoable'
            ? t(`pos.undoErrors.${undoError}`)
            : reasonText(undoError)}
        </Text>
      )}
    </Stack>
  );
}
