import { Alert, Button, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import {
  createHousehold,
  type Household,
  joinHousehold,
  leaveHousehold,
  useMyHousehold,
} from '../../../api/profile';
import { ErrorState } from '../../../components/ErrorState';
import { AlertIcon } from '../../../components/icons';
import { LoadingState } from '../../../components/LoadingState';
import { formatCount } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import classes from './profile.module.css';
import { Section } from './Section';

/** The resident's household and its invite code; set one up, join one, or leave it. */
export function HouseholdSection() {
  const { t } = useTranslation();
  const household = useMyHousehold();
  return (
    <Section id="profile-household" title={t('profile.household.title')}>
      {household.status === 'loading' && <LoadingState label={t('profile.household.loading')} />}
      {household.status === 'error' && (
        <ErrorState error={household.error} onRetry={household.retry} />
      )}
      {household.status === 'ready' &&
        (household.data.household ? (
          <Member household={household.data.household} onChange={household.retry} />
        ) : (
          <NoHousehold onChange={household.retry} />
        ))}
    </Section>
  );
}

function Member({ household, onChange }: { household: Household; onChange: () => void }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [confirming, setConfirming] = useState(false);
  const [failed, setFailed] = useState(false);
  const leave = async () => {
    setFailed(false);
    try {
      await leaveHousehold();
      onChange();
    } catch {
      setFailed(true);
    }
  };
  return (
    <Stack gap="xs">
      <Text className={classes.wrap} fw={600} data-testid="household-address">
        {household.address}
      </Text>
      <Text>
        {t('profile.household.members', { count: formatCount(household.members, locale) })}
      </Text>
      <Text mt="sm">{t('profile.household.inviteText')}</Text>
      <Text className={classes.inviteCode} data-testid="invite-code">
        {household.inviteCode}
      </Text>
      {failed && <Failed />}
      {confirming ? (
        <Stack gap="xs" mt="sm">
          <Text>{t('profile.household.leaveConfirm')}</Text>
          <Button color="red.9" size="md" className={classes.touch} onClick={() => void leave()}>
            {t('profile.household.leaveYes')}
          </Button>
          <Button
            variant="default"
            size="md"
            className={classes.touch}
            onClick={() => setConfirming(false)}
          >
            {t('profile.cancel')}
          </Button>
        </Stack>
      ) : (
        <Button
          variant="subtle"
          color="red"
          c="red.9"
          size="md"
          mt="sm"
          className={classes.touch}
          onClick={() => setConfirming(true)}
        >
          {t('profile.household.leave')}
        </Button>
      )}
    </Stack>
  );
}

function NoHousehold({ onChange }: { onChange: () => void }) {
  const { t } = useTranslation();
  const [address, setAddress] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<'address' | 'code' | 'failed' | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (event: FormEvent, work: () => Promise<unknown>, field: 'address' | 'code') => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await work();
      onChange();
    } catch (failure) {
      const refused =
        failure instanceof ApiError &&
        (failure.code === 'invalid_input' || failure.code === 'household_not_found');
      setError(refused ? field : 'failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md">
      <Text>{t('profile.household.none')}</Text>
      <form onSubmit={(event) => void run(event, () => createHousehold(address), 'address')}>
        <Stack gap="xs">
          <TextInput
            label={t('profile.household.addressLabel')}
            description={t('profile.household.addressHint')}
            value={address}
            onChange={(event) => setAddress(event.currentTarget.value)}
            error={error === 'address' ? t('profile.household.addressInvalid') : undefined}
            autoComplete="street-address"
            required
            size="md"
          />
          <Button type="submit" size="md" className={classes.touch} loading={busy}>
            {t('profile.household.create')}
          </Button>
        </Stack>
      </form>
      <form onSubmit={(event) => void run(event, () => joinHousehold(code), 'code')}>
        <Stack gap="xs">
          <TextInput
            label={t('profile.household.codeLabel')}
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
            error={error === 'code' ? t('profile.household.codeInvalid') : undefined}
            autoComplete="off"
            required
            size="md"
          />
          <Button type="submit" variant="light" size="md" className={classes.touch} loading={busy}>
            {t('profile.household.join')}
          </Button>
        </Stack>
      </form>
      {error === 'failed' && <Failed />}
    </Stack>
  );
}

function Failed() {
  const { t } = useTranslation();
  return (
    <Alert role="alert" color="red" variant="light" icon={<AlertIcon />}>
      {t('profile.failed')}
    </Alert>
  );
}
