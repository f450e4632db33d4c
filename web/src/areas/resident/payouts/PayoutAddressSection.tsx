import {
  Button,
  CopyButton,
  Group,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../../i18n/useLocale';
import { formatDateTime } from '../../staff/format';
import earn from '../earn/earn.module.css';
import { FailureAlert } from '../FailureAlert';
import { hasBrowserWallet, signWithBrowserWallet } from './browserWallet';
import { explainPayoutProblem, isRefusal, payoutProblemKey } from './payoutProblems';
import classes from './payouts.module.css';
import { askAddressChallenge, proveAddress } from './payoutsApi';
import type { AddressChallenge, PayoutAddress } from './payoutTypes';

type Busy = 'challenge' | 'wallet' | 'save' | null;

/**
 * Where payouts go: the active address and from when it can be used, and the steps to register
 * (or change) it — type the address, get a one-time message, sign it in a wallet (the one in
 * this browser, or any other: copy the message, paste the signature), save.
 */
export function PayoutAddressSection({
  active,
  onSaved,
}: {
  active: PayoutAddress | null;
  onSaved: (address: PayoutAddress) => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [changing, setChanging] = useState(active === null);
  const [address, setAddress] = useState('');
  const [challenge, setChallenge] = useState<(AddressChallenge & { address: string }) | null>(null);
  const [signature, setSignature] = useState('');
  const [busy, setBusy] = useState<Busy>(null);
  // The error is kept, not its text, so that the explanation follows a change of language;
  // 'format': the typed address is not 0x and 40 hexadecimal characters (checked before asking).
  const [failure, setFailure] = useState<{ error: unknown } | 'format' | null>(null);
  const [saved, setSaved] = useState(false);
  const signHeading = useRef<HTMLHeadingElement>(null);
  const addressInput = useRef<HTMLInputElement>(null);
  const walletHere = hasBrowserWallet();

  useEffect(() => {
    if (challenge) signHeading.current?.focus();
  }, [challenge]);

  const getChallenge = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const typed = address.trim();
    setFailure(null);
    setSaved(false);
    if (!/^0x[0-9a-fA-F]{40}$/.test(typed)) {
      setFailure('format');
      addressInput.current?.focus();
      return;
    }
    setBusy('challenge');
    try {
      setChallenge({ ...(await askAddressChallenge(typed)), address: typed });
      setSignature('');
    } catch (error) {
      setFailure({ error });
      addressInput.current?.focus();
    } finally {
      setBusy(null);
    }
  };

  const save = async (signed: string) => {
    if (!challenge) return;
    setBusy('save');
    setFailure(null);
    try {
      const next = await proveAddress(challenge.message, signed.trim());
      setChallenge(null);
      setAddress('');
      setSignature('');
      setChanging(false);
      setSaved(true);
      onSaved(next);
    } catch (error) {
      setFailure({ error });
      // An old or used message cannot be signed again: start from a new one.
      const key = payoutProblemKey(error);
      if (key === 'proof_expired' || key === 'proof_nonce_mismatch') setChallenge(null);
    } finally {
      setBusy(null);
    }
  };

  const signHere = async () => {
    if (!challenge) return;
    setBusy('wallet');
    setFailure(null);
    let signed: string;
    try {
      signed = await signWithBrowserWallet(challenge.address, challenge.message);
    } catch (error) {
      setFailure({ error });
      setBusy(null);
      return;
    }
    setSignature(signed);
    await save(signed);
  };

  const problemKey = failure && failure !== 'format' ? payoutProblemKey(failure.error) : null;
  const problem =
    failure === 'format'
      ? t('payouts.address.formatHint')
      : failure
        ? explainPayoutProblem(t, failure.error)
        : null;
  const usable = active && new Date(active.usableFrom).getTime() <= Date.now();

  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="payout-address">
      <Stack gap="md">
        <Title order={2} size="h4" id="payout-address">
          {t('payouts.address.title')}
        </Title>
        <div role="status" aria-live="polite" className={classes.live}>
          {saved && (
            <Text fw={700} data-testid="address-saved">
              {t('payouts.address.saved')}
            </Text>
          )}
        </div>
        {active ? (
          <div data-testid="active-address">
            <Text size="sm" fw={700}>
              {t('payouts.address.active')}
            </Text>
            <Text className={classes.mono} data-testid="active-address-value">
              {active.address}
            </Text>
            <Text mt="xs" fw={usable ? 400 : 700} data-testid="address-usable">
              {usable
                ? t('payouts.address.usableNow')
                : t('payouts.address.usableFrom', {
                    date: formatDateTime(active.usableFrom, locale),
                  })}
            </Text>
          </div>
        ) : (
          <Text>{t('payouts.address.none')}</Text>
        )}
        {active && !changing && (
          <Button
            variant="light"
            size="md"
            className={earn.wrap}
            classNames={{ label: earn.wrapLabel }}
            style={{ alignSelf: 'flex-start' }}
            onClick={() => {
              setChanging(true);
              setSaved(false);
            }}
          >
            {t('payouts.address.change')}
          </Button>
        )}
        {problem && (
          <FailureAlert
            title={t('payouts.address.problemTitle')}
            color={problemKey && isRefusal(problemKey) ? 'notice' : 'red'}
            testId="address-problem"
          >
            {problem}
          </FailureAlert>
        )}
        {changing && !challenge && (
          <form onSubmit={(event) => void getChallenge(event)} noValidate>
            <Stack gap="sm">
              {active && <Text>{t('payouts.address.changeHint')}</Text>}
              <TextInput
                ref={addressInput}
                label={t('payouts.address.input')}
                description={t('payouts.address.inputHint')}
                value={address}
                onChange={(event) => setAddress(event.currentTarget.value)}
                autoComplete="off"
                autoCapitalize="off"
                spellCheck={false}
                size="md"
                classNames={{ input: classes.mono }}
                aria-invalid={problem !== null || undefined}
                data-testid="address-input"
              />
              <Button
                type="submit"
                size="md"
                loading={busy === 'challenge'}
                className={earn.wrap}
                classNames={{ label: earn.wrapLabel }}
                style={{ alignSelf: 'flex-start' }}
              >
                {t('payouts.address.getMessage')}
              </Button>
            </Stack>
          </form>
        )}
        {challenge && (
          <Stack gap="sm" data-testid="address-sign">
            <Title order={3} size="h5" ref={signHeading} tabIndex={-1}>
              {t('payouts.address.signTitle')}
            </Title>
            <Text>
              {t('payouts.address.signHint', {
                date: formatDateTime(challenge.expiresAt, locale),
              })}
            </Text>
            {walletHere && (
              <Button
                size="lg"
                loading={busy === 'wallet'}
                disabled={busy !== null && busy !== 'wallet'}
                onClick={() => void signHere()}
                className={earn.wrap}
                classNames={{ label: earn.wrapLabel }}
                data-testid="sign-in-browser"
              >
                {t('payouts.address.signHere')}
              </Button>
            )}
            <Textarea
              label={t('payouts.address.message')}
              value={challenge.message}
              readOnly
              autosize
              minRows={6}
              classNames={{ input: classes.message }}
              data-testid="address-message"
            />
            <CopyButton value={challenge.message}>
              {({ copied, copy }) => (
                <Button
                  variant="default"
                  size="md"
                  onClick={copy}
                  className={earn.wrap}
                  classNames={{ label: earn.wrapLabel }}
                  style={{ alignSelf: 'flex-start' }}
                >
                  {copied ? t('payouts.address.copied') : t('payouts.address.copy')}
                </Button>
              )}
            </CopyButton>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                void save(signature);
              }}
              noValidate
            >
              <Stack gap="sm">
                <Textarea
                  label={t('payouts.address.signature')}
                  description={t('payouts.address.signatureHint')}
                  value={signature}
                  onChange={(event) => setSignature(event.currentTarget.value)}
                  autosize
                  minRows={2}
                  spellCheck={false}
                  classNames={{ input: classes.message }}
                  data-testid="signature-input"
                />
                <Group gap="sm">
                  <Button
                    type="submit"
                    size="md"
                    loading={busy === 'save'}
                    disabled={signature.trim() === '' || (busy !== null && busy !== 'save')}
                    className={earn.wrap}
                    classNames={{ label: earn.wrapLabel }}
                  >
                    {t('payouts.address.save')}
                  </Button>
                  <Button
                    variant="subtle"
                    size="md"
                    className={earn.wrap}
                    classNames={{ label: earn.wrapLabel }}
                    onClick={() => {
                      setChallenge(null);
                      setFailure(null);
                    }}
                  >
                    {t('payouts.address.startAgain')}
                  </Button>
                </Group>
              </Stack>
            </form>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
