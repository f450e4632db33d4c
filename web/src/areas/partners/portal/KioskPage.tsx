import { Alert, Anchor, Button, Container, Progress, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, getJson } from '../../../api/client';
import { AlertIcon } from '../../../components/icons';
import { LoadingState } from '../../../components/LoadingState';
import { QrCode } from '../../../components/QrCode';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { Refusal } from '../WorkAccess';
import { SignInFirst } from './PartnerLayout';
import classes from './portal.module.css';
import { groupSiteCode, type SiteCode, siteCodePath } from './portalApi';

/** A code stays accepted for this long after the kiosk moved on to the next one. */
const GRACE_SECONDS = 60;
const RETRY_MS = 5000;

interface Shown {
  code: SiteCode;
  /** performance.now() when it arrived: the countdown follows the server, not the tablet's clock. */
  receivedAt: number;
}

/**
 * `/partner/kiosk/:locationId`: the location's site code, huge, for a tablet at the till that
 * residents read from across the room; a countdown to the next code, which it fetches by
 * itself. Keeps the screen awake where the browser allows it.
 */
export function KioskPage() {
  const { t } = useTranslation();
  const { locationId = '' } = useParams();
  useDocumentTitle(t('partnerPortal.kiosk.title'));
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [now, setNow] = useState(() => performance.now());
  const timer = useRef<number | undefined>(undefined);

  const load = useCallback(async () => {
    window.clearTimeout(timer.current);
    try {
      const code = await getJson<SiteCode>(siteCodePath(locationId));
      setShown({ code, receivedAt: performance.now() });
      setError(null);
      // A moment after the window turns, so the server is surely in the next one.
      timer.current = window.setTimeout(() => void load(), code.secondsLeft * 1000 + 300);
    } catch (failure) {
      const apiError = failure instanceof ApiError ? failure : new ApiError('network', null, null);
      setError(apiError);
      if (apiError.kind === 'network' || apiError.kind === 'server') {
        timer.current = window.setTimeout(() => void load(), RETRY_MS);
      }
    }
  }, [locationId]);

  useEffect(() => {
    void load();
    const tick = window.setInterval(() => setNow(performance.now()), 1000);
    // Timers sleep in a hidden tab: coming back, fetch the code of now at once.
    const onVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearTimeout(timer.current);
      window.clearInterval(tick);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [load]);

  useWakeLock();

  if (error?.status === 401) return <SignInFirst />;
  if (error?.status === 403) {
    return (
      <Container size="lg" py="xl">
        <Refusal audience="partner" reason="notAllowed" />
      </Container>
    );
  }
  if (error?.status === 404) return <UnknownLocation />;
  if (!shown) {
    return error ? <Offline /> : <LoadingState label={t('partnerPortal.loading')} />;
  }

  const elapsed = Math.max(0, Math.floor((now - shown.receivedAt) / 1000));
  const secondsLeft = Math.max(0, shown.code.secondsLeft - elapsed);
  // Past its minute of grace the code is refused: better no code than a wrong one.
  const expired = elapsed > shown.code.secondsLeft + GRACE_SECONDS;
  const [first, second] = groupSiteCode(shown.code.code);

  return (
    <section className={classes.kiosk} data-testid="kiosk" aria-labelledby="kiosk-place">
      <Title order={1} id="kiosk-place" className={classes.kioskPlace}>
        {shown.code.locationName}
      </Title>
      <Text className={classes.kioskHint}>{t('partnerPortal.kiosk.hint')}</Text>
      {expired ? (
        <Offline />
      ) : (
        <div className={classes.kioskShow}>
          <p
            className={`${classes.kioskCode} ${error ? classes.kioskCodeStale : ''}`}
            aria-live="polite"
            aria-atomic="true"
            data-testid="site-code"
            data-code={shown.code.code}
          >
            <span>{first}</span>
            <span>{second}</span>
          </p>
          {/* The QR code holds just the six digits: the resident's claim form reads it. */}
          <QrCode
            value={shown.code.code}
            label={t('partnerPortal.kiosk.qrLabel', { code: `${first} ${second}` })}
            className={`${classes.kioskQr} ${error ? classes.kioskQrStale : ''}`}
            data-testid="site-code-qr"
          />
        </div>
      )}
      {!expired && (
        <div className={classes.kioskCountdown}>
          <Progress
            value={(secondsLeft / 60) * 100}
            size="xl"
            radius="xl"
            aria-hidden="true"
            transitionDuration={900}
          />
          <Text mt="xs" data-testid="countdown">
            {secondsLeft > 0
              ? t('partnerPortal.kiosk.nextIn', { seconds: secondsLeft })
              : t('partnerPortal.kiosk.nextNow')}
          </Text>
        </div>
      )}
      {error && !expired && (
        <Text c="red.9" fw={600} role="alert">
          {t('partnerPortal.kiosk.reconnecting')}
        </Text>
      )}
      <div className={classes.kioskTools}>
        <FullScreenButton />
        <Button component={Link} to="/partner/kiosk" variant="default" className={classes.touch}>
          {t('partnerPortal.kiosk.otherLocations')}
        </Button>
      </div>
    </section>
  );
}

function Offline() {
  const { t } = useTranslation();
  return (
    <Alert role="alert" color="red" variant="light" icon={<AlertIcon />} maw="40rem" mx="auto">
      <Text size="lg">{t('partnerPortal.kiosk.offline')}</Text>
    </Alert>
  );
}

function UnknownLocation() {
  const { t } = useTranslation();
  return (
    <Container size="lg" py="xl">
      <Title order={1}>{t('partnerPortal.kiosk.unknownTitle')}</Title>
      <Text size="lg" mt="xs">
        {t('partnerPortal.kiosk.unknownDetail')}
      </Text>
      <Anchor
        component={Link}
        to="/partner/kiosk"
        fw={600}
        underline="always"
        mt="md"
        display="inline-block"
      >
        {t('partnerPortal.kiosk.otherLocations')}
      </Anchor>
    </Container>
  );
}

function FullScreenButton() {
  const { t } = useTranslation();
  const [full, setFull] = useState(() => Boolean(document.fullscreenElement));
  useEffect(() => {
    const onChange = () => setFull(Boolean(document.fullscreenElement));
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  if (!document.fullscreenEnabled) return null;
  const toggle = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void document.documentElement.requestFullscreen().catch(() => undefined);
  };
  return (
    <Button variant="default" onClick={toggle} className={classes.touch}>
      {full ? t('partnerPortal.kiosk.exitFullScreen') : t('partnerPortal.kiosk.fullScreen')}
    </Button>
  );
}

/** Asks the browser to keep the screen on while the kiosk shows (Screen Wake Lock API). */
function useWakeLock() {
  useEffect(() => {
    type Sentinel = { release(): Promise<void> };
    const wakeLock = (
      navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<Sentinel> } }
    ).wakeLock;
    if (!wakeLock) return;
    let sentinel: Sentinel | null = null;
    let active = true;
    const request = () => {
      if (document.visibilityState !== 'visible') return;
      wakeLock.request('screen').then(
        (lock) => {
          if (active) sentinel = lock;
          else void lock.release();
        },
        () => undefined,
      );
    };
    request();
    // The lock ends when the tab is hidden; take it again when it shows.
    document.addEventListener('visibilitychange', request);
    return () => {
      active = false;
      document.removeEventListener('visibilitychange', request);
      void sentinel?.release();
    };
  }, []);
}
