import { Button, Checkbox, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, putJson } from '../../../api/client';
import type { Municipality } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import classes from '../staff.module.css';
import { municipalityPath } from '../staffContext';
import { useFreshResource } from '../useList';
import { PayoutActionError } from './PayoutActionError';
import type { StaffPayoutSettings } from './staffPayoutTypes';

/** The form's fields: text as typed, turned into the API's types on saving. */
const TEXT_FIELDS = [
  'rpcUrl',
  'tokenAddress',
  'tokenSymbol',
  'treasuryKeySource',
  'explorerTxUrl',
] as const;
const WHOLE_FIELDS = [
  'chainId',
  'tokenDecimals',
  'minPoints',
  'maxPoints',
  'yearlyCapPoints',
  'approvalThresholdPoints',
  'confirmations',
  'coolingOffHours',
] as const;
/** Optional: empty means none (no token yet, nobody approves, no explorer link). */
const OPTIONAL = new Set<Field>(['tokenAddress', 'approvalThresholdPoints', 'explorerTxUrl']);
type Field = (typeof TEXT_FIELDS)[number] | (typeof WHOLE_FIELDS)[number] | 'tokenUnitsPerPoint';
const ORDER: readonly Field[] = [
  'rpcUrl',
  'chainId',
  'tokenAddress',
  'tokenSymbol',
  'tokenDecimals',
  'treasuryKeySource',
  'tokenUnitsPerPoint',
  'minPoints',
  'maxPoints',
  'yearlyCapPoints',
  'approvalThresholdPoints',
  'confirmations',
  'coolingOffHours',
  'explorerTxUrl',
];

type Draft = Record<Field, string> & { enabled: boolean };

const BLANK: Draft = {
  enabled: false,
  rpcUrl: '',
  chainId: '',
  tokenAddress: '',
  tokenSymbol: '',
  tokenDecimals: '18',
  treasuryKeySource: '',
  tokenUnitsPerPoint: '',
  minPoints: '',
  maxPoints: '',
  yearlyCapPoints: '',
  approvalThresholdPoints: '',
  confirmations: '1',
  coolingOffHours: '24',
  explorerTxUrl: '',
};

function draftOf(settings: StaffPayoutSettings): Draft {
  const draft = { ...BLANK, enabled: settings.enabled };
  for (const field of ORDER) {
    const value = settings[field];
    draft[field] = value === null || value === undefined ? '' : String(value);
  }
  return draft;
}

/** The finance officer's (or admin's) payouts settings: chain, token, treasury, rate, limits. */
export function PayoutSettingsForm({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  const path = `${municipalityPath(municipality)}/payouts/settings`;
  // null: none saved yet.
  const resource = useFreshResource<StaffPayoutSettings | null>(path);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const id = (field: Field) => `payout-settings-${field}`;

  const loaded = resource.status === 'ready' ? resource.data : null;
  const ready = resource.status === 'ready';
  useEffect(() => {
    if (loaded) setDraft(draftOf(loaded));
    else if (ready) setDraft({ ...BLANK });
  }, [loaded, ready]);

  if (resource.status === 'error') {
    return <ErrorState error={resource.error} onRetry={resource.reload} />;
  }
  if (!draft) return <LoadingState label={t('staffPayouts.loading')} />;

  const update = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next });
    setSaved(false);
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    setFailure(null);
    const found: Partial<Record<Field, string>> = {};
    const body: Record<string, unknown> = { enabled: draft.enabled };
    for (const field of ORDER) {
      const text = draft[field].trim();
      if (text === '' && OPTIONAL.has(field)) {
        body[field] = null;
      } else if (text === '') {
        found[field] = t('staffPayouts.settings.required');
      } else if ((WHOLE_FIELDS as readonly string[]).includes(field)) {
        if (/^\d+$/.test(text)) body[field] = Number(text);
        else found[field] = t('staffPayouts.settings.wholeNumber');
      } else if (field === 'tokenUnitsPerPoint') {
        if (/^\d+$/.test(text)) body[field] = text;
        else found[field] = t('staffPayouts.settings.wholeNumber');
      } else {
        body[field] = text;
      }
    }
    setErrors(found);
    const first = ORDER.find((f) => found[f]);
    if (first) {
      document.getElementById(id(first))?.focus();
      return;
    }
    setSaving(true);
    try {
      const next = await putJson<StaffPayoutSettings>(path, body);
      setDraft(draftOf(next));
      setSaved(true);
    } catch (error) {
      const fromApi: Partial<Record<Field, string>> = {};
      if (error instanceof ApiError) {
        for (const problem of error.errors) {
          const field = problem.field.replace(/^\/(body\/)?/, '') as Field;
          if (ORDER.includes(field)) fromApi[field] = t('staffPayouts.settings.invalid');
        }
      }
      setErrors(fromApi);
      const firstFromApi = ORDER.find((f) => fromApi[f]);
      if (firstFromApi) document.getElementById(id(firstFromApi))?.focus();
      else setFailure(error);
    } finally {
      setSaving(false);
    }
  };

  const input = (field: Field, numeric = false) => (
    <TextInput
      key={field}
      id={id(field)}
      label={t(`staffPayouts.settings.fields.${field}`)}
      description={t(`staffPayouts.settings.hints.${field}`)}
      inputMode={numeric ? 'numeric' : undefined}
      value={draft[field]}
      onChange={(event) => update({ [field]: event.currentTarget.value })}
      error={errors[field]}
      spellCheck={false}
    />
  );

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="payout-settings">
      <Stack gap="md">
        <div>
          <Title order={2} size="h3" id="payout-settings">
            {t('staffPayouts.settings.title')}
          </Title>
          <Text mt="xs">{t('staffPayouts.settings.intro')}</Text>
        </div>
        {loaded?.treasuryAddress && (
          <Text size="sm">
            {t('staffPayouts.settings.treasuryAddress', { address: loaded.treasuryAddress })}
          </Text>
        )}
        {failure !== null && <PayoutActionError error={failure} />}
        <form
          onSubmit={(event) => void onSubmit(event)}
          noValidate
          data-testid="payout-settings-form"
        >
          <Stack gap="md">
            <Checkbox
              label={t('staffPayouts.settings.enabled')}
              description={t('staffPayouts.settings.enabledHint')}
              checked={draft.enabled}
              onChange={(event) => update({ enabled: event.currentTarget.checked })}
              styles={{ body: { alignItems: 'center', minHeight: 44 } }}
            />
            <Title order={3} size="h4">
              {t('staffPayouts.settings.chainTitle')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              {input('rpcUrl')}
              {input('chainId', true)}
              {input('tokenAddress')}
              {input('tokenSymbol')}
              {input('tokenDecimals', true)}
              {input('treasuryKeySource')}
              {input('confirmations', true)}
              {input('explorerTxUrl')}
            </SimpleGrid>
            <Title order={3} size="h4">
              {t('staffPayouts.settings.limitsTitle')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              {input('tokenUnitsPerPoint', true)}
              {input('minPoints', true)}
              {input('maxPoints', true)}
              {input('yearlyCapPoints', true)}
              {input('approvalThresholdPoints', true)}
              {input('coolingOffHours', true)}
            </SimpleGrid>
            <div role="status" aria-live="polite" className={classes.status}>
              {saved && (
                <Text fw={600} data-testid="payout-settings-saved">
                  {t('staffPayouts.settings.saved')}
                </Text>
              )}
            </div>
            <Button
              type="submit"
              loading={saving}
              className={classes.touch}
              style={{ alignSelf: 'flex-start' }}
            >
              {t('staffPayouts.settings.save')}
            </Button>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}
