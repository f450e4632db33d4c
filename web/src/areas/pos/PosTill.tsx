import { Anchor, Button, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { QrScanner } from '../../components/QrScanner';
import { hasCamera, qrDetector } from '../../components/qrDecoder';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import type { PartnerContext } from '../partners/portal/PartnerLayout';
import { checkOffline, limitRefusal } from './offlineCheck';
import { PosRecent, type RecentOnline } from './PosRecent';
import { PosResult, type Reason, type Screen, type Shown, type UndoProblem } from './PosResult';
import classes from './pos.module.css';
import {
  isServerRefusal,
  type Presented,
  parseEuros,
  redeemVoucher,
  UNDO_WINDOW_MS,
  undoRedemption,
  type VoucherCheck,
  validateVoucher,
} from './posApi';
import { deviceId, randomId, rememberedLocation, rememberLocation } from './posStore';
import { tidyShortCode } from './shortCode';
import { TillStatus } from './TillStatus';
import { useTill } from './useTill';
import { looksLikeToken } from './voucherToken';

const CAMERA_KEY = 'civicpoints.pos.camera';
/** After "Next voucher", the code just handled is not read again for this long. */
const SAME_CODE_PAUSE_MS = 10_000;

/** An API failure as the reason the till shows. */
function reasonOf(error: unknown): Reason {
  if (!(error instanceof ApiError) || error.kind === 'network') return 'network';
  if (isServerRefusal(error.code)) return error.code;
  switch (error.code) {
    case 'partner_inactive':
    case 'not_signed_in':
    case 'permission_denied':
    case 'location_not_found':
      return error.code;
    case 'rate_limited':
    case 'too_many_failures':
      return 'too_many';
    default:
      return 'other';
  }
}

const isNetwork = (error: unknown) => !(error instanceof ApiError) || error.kind === 'network';

/** When and where an already redeemed voucher was redeemed, from the refusal's details. */
function redeemedFacts(details: Record<string, unknown>) {
  const parts = [details.partnerName, details.locationName].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  // A partner with one location often gives it its own name: said once.
  const where = [...new Set(parts)].join(', ');
  return {
    ...(typeof details.redeemedAt === 'string' && { redeemedAt: details.redeemedAt }),
    ...(where && { where }),
  };
}

function shownOf(check: VoucherCheck): Shown {
  return {
    names: check.rewardNames,
    valueCents: check.valueCents,
    percent: check.discountPercent,
    expiresAt: check.expiresAt,
  };
}

/**
 * The till: one screen to scan a voucher's QR code (the camera, large) or type its short code;
 * the answer fills the screen — green with the reward and its value and a big "Redeem", red with
 * the reason — then "Next voucher". Online it asks the server (validate, then redeem; undo for
 * 10 minutes); offline it checks scanned vouchers itself against the kept offline kit and keeps
 * what it accepted for the sync (useTill).
 */
export function PosTill({ me, partner }: PartnerContext) {
  const { t } = useTranslation();
  useDocumentTitle(t('pos.title'));
  const till = useTill(partner.id);
  const [screen, setScreen] = useState<Screen>({ kind: 'ready' });
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [discount, setDiscount] = useState('');
  const [discountError, setDiscountError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [undoError, setUndoError] = useState<UndoProblem | null>(null);
  const [recent, setRecent] = useState<RecentOnline[]>([]);
  const [camera, setCamera] = useState(() => {
    try {
      return localStorage.getItem(CAMERA_KEY) !== 'off';
    } catch {
      return true;
    }
  });
  const [locationId, setLocationId] = useState<string | null>(() => {
    const kept = rememberedLocation(partner.id);
    if (kept && partner.locations.some((l) => l.id === kept)) return kept;
    return partner.locations.length === 1 ? partner.locations[0]!.id : null;
  });
  const codeRef = useRef<HTMLInputElement>(null);
  const lastHandled = useRef<{ value: string; at: number } | null>(null);
  const presentedValue = useRef('');
  const scanPossible = hasCamera();
  const [decoderReady, setDecoderReady] = useState(false);

  // The decoder (and ZXing's wasm, where needed) loads while online, so scanning works offline.
  useEffect(() => {
    if (!scanPossible) return;
    qrDetector().then(
      () => setDecoderReady(true),
      () => undefined,
    );
  }, [scanPossible]);
  const tillPartner = {
    id: partner.id,
    kind: partner.kind,
    municipalityId: partner.municipalityId,
    municipalitySlug: me.municipalitySlug,
  };

  useEffect(() => {
    if (partner.locations.length > 1 && locationId === null) {
      // Several places: the first until the cashier chooses (the choice is kept on the device).
      setLocationId(partner.locations[0]!.id);
    }
  }, [partner.locations, locationId]);

  const chooseLocation = (id: string) => {
    setLocationId(id);
    rememberLocation(partner.id, id);
  };

  const toggleCamera = () => {
    setCamera((on) => {
      try {
        localStorage.setItem(CAMERA_KEY, on ? 'off' : 'on');
      } catch {
        // Not kept: the camera is on again next time.
      }
      return !on;
    });
  };

  const refuse = (reason: Reason, extra: Partial<Extract<Screen, { kind: 'refused' }>> = {}) =>
    setScreen({ kind: 'refused', reason, ...extra });

  /** The till's own check of a scanned token (offline). */
  const checkHere = async (token: string, clientRedemptionId = randomId('pos')) => {
    if (!till.kit) return refuse('offline_no_kit');
    const result = await checkOffline(token, {
      kit: till.kit.kit,
      partner: tillPartner,
      accepted: till.offline.map((r) => ({
        voucherId: r.voucherId,
        tokenId: r.tokenId,
        valueCents: r.valueCents,
        state: r.state,
      })),
      now: new Date(),
    });
    const shown: Shown | undefined =
      result.claims && result.reward
        ? {
            names: result.reward.names,
            valueCents: result.claims.val,
            percent: result.claims.pct ?? null,
            expiresAt: new Date(result.claims.exp * 1000).toISOString(),
          }
        : undefined;
    if (!result.ok) {
      return refuse(result.refusal, { offline: true, ...(shown && { voucher: shown }) });
    }
    setScreen({
      kind: 'valid',
      mode: 'offline',
      presented: { token },
      voucher: shown!,
      clientRedemptionId,
      claims: { vid: result.claims.vid, jti: result.claims.jti, rwd: result.claims.rwd },
    });
  };

  /** A scanned or typed voucher: what it is, and whether it can be redeemed here. */
  const present = async (raw: string) => {
    setDiscount('');
    setDiscountError(null);
    setUndoError(null);
    const value = raw.trim();
    presentedValue.current = value;
    let presented: Presented;
    if (looksLikeToken(value)) presented = { token: value };
    else {
      const tidy = tidyShortCode(value);
      if (!tidy) return refuse('voucher_code_invalid', { typed: value });
      presented = { code: tidy };
    }
    if (!till.online) {
      if ('token' in presented) return checkHere(presented.token);
      return refuse('offline_code');
    }
    setScreen({ kind: 'checking' });
    try {
      const check = await validateVoucher(presented);
      till.markReachable();
      if (check.redeemable) {
        setScreen({
          kind: 'valid',
          mode: 'online',
          presented,
          voucher: shownOf(check),
          clientRedemptionId: randomId('pos'),
        });
      } else {
        const refusal = check.refusal!;
        refuse(refusal.code, { voucher: shownOf(check), ...redeemedFacts(refusal.details) });
      }
    } catch (error) {
      if (isNetwork(error)) {
        till.markUnreachable();
        if ('token' in presented) return checkHere(presented.token);
        return refuse('offline_code');
      }
      refuse(reasonOf(error));
    }
  };

  const redeem = async () => {
    if (screen.kind !== 'valid') return;
    const { voucher } = screen;
    let discountCents: number | undefined;
    if (voucher.percent !== null) {
      const cents = parseEuros(discount);
      if (cents === null || cents <= 0 || cents > voucher.valueCents) {
        setDiscountError(t('pos.discount.invalid'));
        return;
      }
      discountCents = cents;
    }
    setBusy(true);
    try {
      if (screen.mode === 'offline') {
        const worth = discountCents ?? voucher.valueCents;
        const limit = till.kit ? limitRefusal(till.kit.kit, till.offline, worth) : null;
        if (limit) return refuse(limit, { offline: true, voucher });
        const token = 'token' in screen.presented ? screen.presented.token : '';
        const record = {
          clientRedemptionId: screen.clientRedemptionId,
          partnerId: partner.id,
          deviceId: deviceId(),
          token,
          voucherId: screen.claims!.vid,
          tokenId: screen.claims!.jti,
          rewardId: screen.claims!.rwd,
          rewardNames: voucher.names,
          valueCents: worth,
          discountCents: discountCents ?? null,
          locationId,
          redeemedAt: new Date().toISOString(),
          state: 'waiting' as const,
          refusal: null,
          message: null,
          syncedAt: null,
        };
        await till.addOffline(record);
        setScreen({ kind: 'accepted', voucher: { ...voucher, valueCents: worth }, record });
        return;
      }
      const redemption = await redeemVoucher(screen.presented, {
        clientRedemptionId: screen.clientRedemptionId,
        ...(locationId && { locationId }),
        ...(discountCents !== undefined && { discountCents }),
      });
      till.markReachable();
      const shown = { ...voucher, valueCents: redemption.valueCents };
      // The undo window by this device's clock, from when the answer came (the server, whose
      // clock may differ, still decides).
      const undoUntil = Date.now() + UNDO_WINDOW_MS;
      setRecent((list) =>
        [{ redemption, voucher: shown, undone: false, undoUntil }, ...list].slice(0, 10),
      );
      setScreen({ kind: 'redeemed', voucher: shown, redemption, undoUntil });
    } catch (error) {
      if (isNetwork(error) && screen.mode === 'online') {
        till.markUnreachable();
        // The same id: if the request did arrive, the sync answers with that redemption.
        if ('token' in screen.presented) {
          return checkHere(screen.presented.token, screen.clientRedemptionId);
        }
        return refuse('offline_code');
      }
      if (error instanceof ApiError && isServerRefusal(error.code)) {
        return refuse(error.code, { voucher, ...redeemedFacts(error.details) });
      }
      refuse(reasonOf(error));
    } finally {
      setBusy(false);
    }
  };

  const undoOnline = async (redemptionId: string) => {
    setBusy(true);
    setUndoError(null);
    try {
      await undoRedemption(redemptionId);
      const item = recent.find((r) => r.redemption.id === redemptionId);
      setRecent((list) =>
        list.map((r) => (r.redemption.id === redemptionId ? { ...r, undone: true } : r)),
      );
      setScreen({ kind: 'undone', voucher: item?.voucher ?? null });
    } catch (error) {
      if (isNetwork(error)) till.markUnreachable();
      const code = error instanceof ApiError ? error.code : null;
      setUndoError(
        code === 'undo_window_passed' || code === 'redemption_not_undoable'
          ? code
          : reasonOf(error),
      );
    } finally {
      setBusy(false);
    }
  };

  const undoOffline = async (clientRedemptionId: string) => {
    const record = till.offline.find((r) => r.clientRedemptionId === clientRedemptionId);
    if (record?.state !== 'waiting') return;
    await till.removeOffline(clientRedemptionId);
    setScreen({ kind: 'undone', voucher: null });
  };

  const next = () => {
    lastHandled.current = { value: presentedValue.current, at: Date.now() };
    setScreen({ kind: 'ready' });
    setCode('');
    setCodeError(null);
    setUndoError(null);
  };

  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    if (code.trim() === '') {
      setCodeError(t('pos.code.missing'));
      codeRef.current?.focus();
      return;
    }
    setCodeError(null);
    void present(code);
  };

  const location = partner.locations.find((l) => l.id === locationId) ?? null;

  return (
    <div
      className={classes.till}
      data-testid="pos"
      data-online={till.online}
      data-kit={till.kit?.savedAt ?? 'none'}
      data-decoder={decoderReady ? 'ready' : 'loading'}
    >
      <div className={classes.top}>
        <div className={classes.titleRow}>
          <Title order={1} className={classes.title}>
            {t('pos.title')}
          </Title>
          <Anchor
            component={Link}
            to="/partner"
            fw={600}
            underline="always"
            className={classes.back}
          >
            {t('pos.portal')}
          </Anchor>
        </div>
        <Text c="gray.8" className={classes.wrap}>
          {location && location.name !== partner.name
            ? `${partner.name} · ${location.name}`
            : partner.name}
        </Text>
        <TillStatus till={till} />
        {partner.locations.length > 1 && screen.kind === 'ready' && (
          <NativeSelect
            label={t('pos.location')}
            value={locationId ?? ''}
            onChange={(event) => chooseLocation(event.currentTarget.value)}
            data={partner.locations.map((l) => ({ value: l.id, label: l.name }))}
            size="lg"
            maw="28rem"
            data-testid="pos-location"
          />
        )}
      </div>

      {screen.kind === 'ready' ? (
        <Stack gap="md" className={classes.ready}>
          {scanPossible && camera && (
            <QrScanner
              size="large"
              label={t('pos.scan.cameraLabel')}
              hint={<Text className={classes.scanHint}>{t('pos.scan.hint')}</Text>}
              onCode={(value) => {
                // The voucher just handled, still held up after "Next voucher": not again.
                const just = lastHandled.current;
                if (
                  just &&
                  just.value === value.trim() &&
                  Date.now() - just.at < SAME_CODE_PAUSE_MS
                )
                  return false;
                void present(value);
                return true;
              }}
              data-testid="pos-scanner"
            />
          )}
          {scanPossible && (
            <Button
              variant="default"
              onClick={toggleCamera}
              className={classes.touch}
              w="fit-content"
            >
              {camera ? t('pos.scan.off') : t('pos.scan.on')}
            </Button>
          )}
          <form onSubmit={submitCode} noValidate className={classes.codeForm}>
            <TextInput
              ref={codeRef}
              size="xl"
              label={t('pos.code.label')}
              description={till.online ? t('pos.code.hint') : t('pos.code.offlineHint')}
              value={code}
              onChange={(event) => setCode(event.currentTarget.value)}
              error={codeError}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              classNames={{ input: classes.codeInput }}
              data-testid="pos-code"
            />
            <Button type="submit" size="xl" className={classes.bigButton}>
              {t('pos.code.check')}
            </Button>
          </form>
          <PosRecent
            recent={recent}
            offline={till.offline}
            busy={busy}
            onUndoOnline={(id) => void undoOnline(id)}
            onUndoOffline={(id) => void undoOffline(id)}
          />
        </Stack>
      ) : (
        <PosResult
          screen={screen}
          busy={busy}
          discount={discount}
          discountError={discountError}
          onDiscount={(value) => {
            setDiscount(value);
            setDiscountError(null);
          }}
          undoError={undoError}
          onRedeem={() => void redeem()}
          onUndoOnline={(id) => void undoOnline(id)}
          onUndoOffline={(id) => void undoOffline(id)}
          onNext={next}
        />
      )}
    </div>
  );
}
