import { Alert, Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { useMunicipalities } from '../../../api/endpoints';
import type { Me, Municipality } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { CoinIcon } from '../../../components/icons';
import { LoadingState } from '../../../components/LoadingState';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { formatCount, formatDate, formatEuroCents, pluralForm } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import { useOnline } from '../../../offline/useOnline';
import earn from '../earn/earn.module.css';
import { fetchWallet } from '../earn/earnApi';
import { SignedInOnly } from '../SignedInOnly';
import { Fact } from './Fact';
import { OfflineNote } from './OfflineNote';
import { Places } from './Places';
import { QrCode } from './QrCode';
import { priceText, rewardName, voucherWhen } from './rewardTexts';
import classes from './spend.module.css';
import { cancelVoucher, useMyVoucher, useRewards } from './spendApi';
import type { Reward, Voucher } from './spendTypes';

/**
 * `/resident/vouchers/:voucherId`: the voucher to show at the till — a large QR code, the short
 * code in big type, what it is for, where and until when — and "Cancel voucher". Opens offline
 * once it has been opened online (the service worker keeps the last answer).
 */
export function VoucherPage() {
  const { t } = useTranslation();
  return (
    <SignedInOnly loadingLabel={t('voucher.loading')}>
      {(me) => <SignedInVoucher me={me} />}
    </SignedInOnly>
  );
}

function SignedInVoucher({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { voucherId = '' } = useParams();
  const voucher = useMyVoucher(voucherId);
  return (
    <Stack gap="lg" className={classes.narrow} data-testid="voucher-page">
      <Anchor component={Link} to="/resident/vouchers" className={earn.back}>
        {t('voucher.back')}
      </Anchor>
      <OfflineNote />
      {voucher.status === 'loading' && <LoadingState label={t('voucher.loading')} />}
      {voucher.status === 'error' &&
        (voucher.error.kind === 'not_found' ? (
          <NotFound />
        ) : (
          <ErrorState error={voucher.error} onRetry={voucher.retry} headingLevel={1} />
        ))}
      {voucher.status === 'ready' && (
        <VoucherScreen voucher={voucher.data} me={me} onChange={voucher.replace} />
      )}
    </Stack>
  );
}

function NotFound() {
  const { t } = useTranslation();
  useDocumentTitle(t('voucher.notFound.title'));
  return (
    <Stack gap="md">
      <Title order={1}>{t('voucher.notFound.title')}</Title>
      <Text size="lg">{t('voucher.notFound.text')}</Text>
      <Button
        component={Link}
        to="/resident/vouchers"
        size="lg"
        className={earn.wrap}
        classNames={{ label: earn.wrapLabel }}
      >
        {t('vouchers.link')}
      </Button>
    </Stack>
  );
}

/** The resident's town and the region's towns, when they can be loaded (offline: when kept). */
function useTowns(me: Me) {
  const municipalities = useMunicipalities();
  const list = municipalities.status === 'ready' ? municipalities.data.items : [];
  const home = list.find((m) => m.id === me.municipalityId);
  return { home, municipalities: list };
}

function VoucherScreen({
  voucher,
  me,
  onChange,
}: {
  voucher: Voucher;
  me: Me;
  onChange: (voucher: Voucher) => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const location = useLocation();
  const bought = (location.state as { bought?: boolean } | null)?.bought === true;
  const { home, municipalities } = useTowns(me);
  const name = rewardName(voucher.rewardNames, locale);
  useDocumentTitle(name);
  const open = voucher.status === 'issued' && voucher.token !== null;
  // Set once this page cancelled the voucher: the points came back, and the balance now.
  const [cancelled, setCancelled] = useState<{ balance: number | null } | null>(null);
  return (
    <>
      {bought && open && (
        <Alert
          role="status"
          color="civic"
          variant="light"
          icon={<CoinIcon />}
          title={t('voucher.bought.title')}
          classNames={{ title: earn.alertText, message: earn.alertText }}
          data-testid="voucher-bought"
        >
          {t('voucher.bought.text')}
        </Alert>
      )}
      <div>
        <Title order={1}>{name}</Title>
        <Group gap="sm" mt="xs" wrap="wrap">
          <span
            className={classes.status}
            data-status={voucher.status}
            data-testid="voucher-status"
          >
            {t(`vouchers.status.${voucher.status}`)}
          </span>
          <Text className={classes.until} data-testid="voucher-when">
            {voucherWhen(t, voucher, locale)}
          </Text>
        </Group>
      </div>
      {cancelled && <CancelledNote points={voucher.pricePoints} balance={cancelled.balance} />}
      {open && voucher.token && (
        <section className={classes.ticket} aria-labelledby="ticket-title">
          <Title order={2} size="h4" id="ticket-title" ta="center">
            {t('voucher.showTitle')}
          </Title>
          <QrCode
            value={voucher.token}
            label={t('voucher.qrLabel', { name })}
            className={classes.qr}
            testId="voucher-qr"
          />
          <p className={classes.codeLabel}>{t('voucher.codeLabel')}</p>
          <p className={classes.shortCode} data-testid="voucher-code">
            {voucher.shortCode}
          </p>
          <Text ta="center">{t('voucher.showHint')}</Text>
        </section>
      )}
      {home && <ForWhat voucher={voucher} home={home} municipalities={municipalities} />}
      {voucher.status === 'issued' && (
        <Cancel
          voucher={voucher}
          onCancelled={(next, balance) => {
            setCancelled({ balance });
            onChange(next);
          }}
        />
      )}
    </>
  );
}

/** What the voucher is for and where it is used, from the reward (when it can be loaded). */
function ForWhat({
  voucher,
  home,
  municipalities,
}: {
  voucher: Voucher;
  home: Municipality;
  municipalities: Municipality[];
}) {
  const rewards = useRewards(home.slug);
  const reward =
    rewards.status === 'ready' ? rewards.data.items.find((r) => r.id === voucher.rewardId) : null;
  return (
    <Facts voucher={voucher} reward={reward ?? null} home={home} municipalities={municipalities} />
  );
}

function Facts({
  voucher,
  reward,
  home,
  municipalities,
}: {
  voucher: Voucher;
  reward: Reward | null;
  home: Municipality;
  municipalities: Municipality[];
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const description = reward?.descriptions[locale]?.trim();
  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="voucher-facts">
      <Title order={2} size="h4" id="voucher-facts" mb="md">
        {t('voucher.factsTitle')}
      </Title>
      <dl className={classes.facts} data-testid="voucher-facts">
        <Fact name={t('voucher.forWhat')}>
          {description && <Text>{description}</Text>}
          <Text className={classes.worth}>
            {voucher.discountPercent !== null
              ? t('rewards.worthPercent', {
                  percent: formatCount(voucher.discountPercent, locale),
                  amount: formatEuroCents(voucher.valueCents, locale),
                })
              : t('rewards.worth', { amount: formatEuroCents(voucher.valueCents, locale) })}
          </Text>
        </Fact>
        <Fact name={t('voucher.paid')}>
          <Text>{priceText(t, voucher.pricePoints, locale)}</Text>
        </Fact>
        {reward && (
          <Fact name={t('rewards.where.title')}>
            <Places reward={reward} municipalities={municipalities} homeId={home.id} />
          </Fact>
        )}
        {voucher.status === 'issued' && voucher.expiresAt && (
          <Fact name={t('voucher.until')}>
            <Text fw={700}>{formatDate(voucher.expiresAt, locale)}</Text>
          </Fact>
        )}
      </dl>
    </Paper>
  );
}

type CancelError = 'network' | 'signedOut' | 'notCancellable' | 'server';

function cancelErrorOf(error: unknown): CancelError {
  if (!(error instanceof ApiError) || error.kind === 'network') return 'network';
  if (error.status === 401) return 'signedOut';
  if (error.code === 'voucher_not_cancellable') return 'notCancellable';
  return 'server';
}

/** "Cancel voucher": asks first (it cannot be undone), then says the points are back. */
function Cancel({
  voucher,
  onCancelled,
}: {
  voucher: Voucher;
  onCancelled: (voucher: Voucher, balance: number | null) => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const online = useOnline();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CancelError | null>(null);
  const yes = useRef<HTMLButtonElement>(null);
  const points = formatCount(voucher.pricePoints, locale);
  const form = pluralForm(voucher.pricePoints, locale);

  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      const cancelled = await cancelVoucher(voucher.id);
      const balance = await fetchWallet().then(
        (wallet) => wallet.points,
        () => null,
      );
      onCancelled(cancelled, balance);
    } catch (failure) {
      setError(cancelErrorOf(failure));
      setBusy(false);
    }
  };

  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="cancel-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="cancel-title">
          {t('voucher.cancel.title')}
        </Title>
        {!asking && <Text>{t(`voucher.cancel.text.${form}`, { points })}</Text>}
        {error && (
          <Text role="alert" className={earn.fieldError} data-testid="cancel-error">
            {t(`voucher.cancel.errors.${error}`)}
          </Text>
        )}
        {!online && <Text className={classes.muted}>{t('voucher.cancel.offline')}</Text>}
        {asking ? (
          <>
            <Text fw={700} data-testid="cancel-confirm">
              {t(`voucher.cancel.confirm.${form}`, { points })}
            </Text>
            <Stack gap="sm">
              <Button
                ref={yes}
                color="red.9"
                size="md"
                className={earn.wrap}
                classNames={{ label: earn.wrapLabel }}
                loading={busy}
                disabled={!online}
                onClick={() => void cancel()}
              >
                {t('voucher.cancel.yes')}
              </Button>
              <Button
                variant="default"
                size="md"
                className={earn.wrap}
                classNames={{ label: earn.wrapLabel }}
                disabled={busy}
                onClick={() => setAsking(false)}
              >
                {t('voucher.cancel.no')}
              </Button>
            </Stack>
          </>
        ) : (
          <Button
            variant="default"
            c="red.9"
            size="md"
            className={earn.wrap}
            classNames={{ label: earn.wrapLabel }}
            style={{ alignSelf: 'flex-start' }}
            disabled={!online}
            onClick={() => setAsking(true)}
          >
            {t('voucher.cancel.button')}
          </Button>
        )}
      </Stack>
    </Paper>
  );
}

function CancelledNote({ points, balance }: { points: number; balance: number | null }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  // The cancel buttons are gone: focus goes to what happened instead of to the page's start.
  const note = useRef<HTMLDivElement>(null);
  useEffect(() => note.current?.focus(), []);
  return (
    <Alert
      ref={note}
      tabIndex={-1}
      role="status"
      color="civic"
      variant="light"
      icon={<CoinIcon />}
      title={t('voucher.cancelled.title')}
      classNames={{ title: earn.alertText, message: earn.alertText }}
      data-testid="voucher-cancelled"
    >
      <Text className={earn.alertText}>
        {t(`voucher.cancelled.text.${pluralForm(points, locale)}`, {
          points: formatCount(points, locale),
        })}
      </Text>
      {balance !== null && (
        <Text className={earn.alertText} fw={700} data-testid="voucher-cancelled-balance">
          {t(`earn.result.balance.${pluralForm(balance, locale)}`, {
            points: formatCount(balance, locale),
          })}
        </Text>
      )}
    </Alert>
  );
}
