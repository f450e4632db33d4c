import { Button, Checkbox, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, putJson } from '../../../api/client';
import { useApiResource } from '../../../api/useApiResource';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import type { Locale } from '../../../i18n/locales';
import { useLocale } from '../../../i18n/useLocale';
import { ActionError } from '../ActionError';
import classes from '../staff.module.css';
import { centsInput, centsOf } from '../terms/termsDraft';
import { useEuroHint, useRewardMessage } from './RewardForm';
import { rewardMessageCode } from './rewardDraft';
import type { SpendingSettings } from './spendingTypes';

type Field = 'liabilityBudgetCents' | 'offlineMaxCount' | 'offlineMaxValueCents';
const FIELDS: readonly Field[] = [
  'liabilityBudgetCents',
  'offlineMaxCount',
  'offlineMaxValueCents',
];

interface Draft {
  budgetOn: boolean;
  budget: string;
  offlineMaxCount: string;
  offlineMaxValue: string;
}

const draftOf = (settings: SpendingSettings, locale: Locale): Draft => ({
  budgetOn: settings.liabilityBudgetCents !== null,
  budget:
    settings.liabilityBudgetCents === null ? '' : centsInput(settings.liabilityBudgetCents, locale),
  offlineMaxCount: String(settings.offlineMaxCount),
  offlineMaxValue: centsInput(settings.offlineMaxValueCents, locale),
});

/**
 * The admin's spending settings of municipality `slug`: the budget the liability is measured
 * against (the liability page warns above it) and how much a till may accept offline.
 */
export function SpendingSettingsForm({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const message = useRewardMessage();
  const euroHint = useEuroHint();
  const path = `/api/municipalities/${encodeURIComponent(slug)}/spending-settings`;
  const resource = useApiResource<SpendingSettings>(path, { cache: false });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const id = (field: Field) => `spending-${field}`;

  const loaded = resource.status === 'ready' ? resource.data : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the draft is made once per load, not again when the language changes
  useEffect(() => {
    if (loaded) setDraft(draftOf(loaded, locale));
  }, [loaded]);

  // Opened from the liability page's link (`#spending-settings`): show this section once it is there.
  const shown = draft !== null;
  useEffect(() => {
    if (shown && window.location.hash === '#spending-settings') {
      document.getElementById('spending-settings')?.scrollIntoView();
    }
  }, [shown]);

  if (resource.status === 'error') {
    return <ErrorState error={resource.error} onRetry={resource.retry} />;
  }
  if (!draft) return <LoadingState label={t('spendingSettings.loading')} />;

  const update = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next });
    setSaved(false);
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    setFailure(null);
    const found: Partial<Record<Field, string>> = {};
    const euros = (field: Field, text: string) => {
      const cents = centsOf(text.trim());
      if (cents === null) found[field] = t('catalogue.errors.amount');
      return cents ?? 0;
    };
    const count = draft.offlineMaxCount.trim();
    if (!/^\d+$/.test(count)) found.offlineMaxCount = t('catalogue.errors.whole_number');
    const body: SpendingSettings = {
      liabilityBudgetCents: draft.budgetOn ? euros('liabilityBudgetCents', draft.budget) : null,
      offlineMaxCount: Number(count),
      offlineMaxValueCents: euros('offlineMaxValueCents', draft.offlineMaxValue),
    };
    setErrors(found);
    const first = FIELDS.find((f) => found[f]);
    if (first) {
      document.getElementById(id(first))?.focus();
      return;
    }
    setSaving(true);
    try {
      const next = await putJson<SpendingSettings>(path, body);
      setDraft(draftOf(next, locale));
      setSaved(true);
    } catch (error) {
      const fromApi: Partial<Record<Field, string>> = {};
      if (error instanceof ApiError) {
        for (const problem of error.errors) {
          const field = problem.field.replace(/^\/body\//, '') as Field;
          if (FIELDS.includes(field)) fromApi[field] = message(rewardMessageCode(problem.code));
        }
      }
      setErrors(fromApi);
      if (Object.keys(fromApi).length === 0) setFailure(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack component="section" gap="md" aria-labelledby="spending-settings" maw={760}>
      <div>
        <Title order={2} id="spending-settings">
          {t('spendingSettings.title')}
        </Title>
        <Text mt="xs">{t('spendingSettings.intro')}</Text>
      </div>
      {failure !== null && <ActionError error={failure} />}
      <form
        onSubmit={(event) => void onSubmit(event)}
        noValidate
        data-testid="spending-settings-form"
      >
        <Stack gap="md">
          <Checkbox
            label={t('spendingSettings.budgetOn')}
            description={t('spendingSettings.budgetOnHint')}
            checked={draft.budgetOn}
            onChange={(event) => update({ budgetOn: event.currentTarget.checked })}
            styles={{ body: { alignItems: 'center', minHeight: 44 } }}
          />
          {draft.budgetOn && (
            <TextInput
              id={id('liabilityBudgetCents')}
              label={t('spendingSettings.budget')}
              description={euroHint(draft.budget)}
              inputMode="decimal"
              maw="20rem"
              value={draft.budget}
              onChange={(event) => update({ budget: event.currentTarget.value })}
              error={errors.liabilityBudgetCents}
            />
          )}
          <Title order={3} size="h4">
            {t('spendingSettings.offlineTitle')}
          </Title>
          <Text size="sm">{t('spendingSettings.offlineIntro')}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              id={id('offlineMaxCount')}
              label={t('spendingSettings.offlineMaxCount')}
              description={t('spendingSettings.offlineMaxCountHint')}
              inputMode="numeric"
              value={draft.offlineMaxCount}
              onChange={(event) => update({ offlineMaxCount: event.currentTarget.value })}
              error={errors.offlineMaxCount}
            />
            <TextInput
              id={id('offlineMaxValueCents')}
              label={t('spendingSettings.offlineMaxValue')}
              description={euroHint(draft.offlineMaxValue)}
              inputMode="decimal"
              value={draft.offlineMaxValue}
              onChange={(event) => update({ offlineMaxValue: event.currentTarget.value })}
              error={errors.offlineMaxValueCents}
            />
          </SimpleGrid>
          <div role="status" aria-live="polite" className={classes.status}>
            {saved && (
              <Text fw={600} data-testid="spending-settings-saved">
                {t('spendingSettings.saved')}
              </Text>
            )}
          </div>
          <Button
            type="submit"
            loading={saving}
            className={classes.touch}
            style={{ alignSelf: 'flex-start' }}
          >
            {t('spendingSettings.save')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
