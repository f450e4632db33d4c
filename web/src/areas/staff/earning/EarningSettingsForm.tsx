import { Button, Checkbox, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, putJson } from '../../../api/client';
import { useApiResource } from '../../../api/useApiResource';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { ActionError } from '../ActionError';
import classes from '../staff.module.css';
import { messageCodeOf } from './activityDraft';
import type { EarningSettings } from './earningTypes';

const NUMBER_FIELDS = [
  'newAccountDays',
  'velocityMaxClaims',
  'velocityWindowMinutes',
  'photoMaxHoursApart',
] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];
type Field = NumberField | 'yearlyCapPoints';

interface Draft {
  capOn: boolean;
  yearlyCapPoints: string;
  newAccountDays: string;
  velocityMaxClaims: string;
  velocityWindowMinutes: string;
  photoMaxHoursApart: string;
}

const draftOf = (settings: EarningSettings): Draft => ({
  capOn: settings.yearlyCapPoints !== null,
  yearlyCapPoints: settings.yearlyCapPoints === null ? '' : String(settings.yearlyCapPoints),
  newAccountDays: String(settings.newAccountDays),
  velocityMaxClaims: String(settings.velocityMaxClaims),
  velocityWindowMinutes: String(settings.velocityWindowMinutes),
  photoMaxHoursApart: String(settings.photoMaxHoursApart),
});

/**
 * The admin's earning settings of municipality `slug`: the yearly cap per resident across all
 * activities (the tax-free allowance) and the thresholds of the automatic checks.
 */
export function EarningSettingsForm({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const path = `/api/municipalities/${encodeURIComponent(slug)}/earning-settings`;
  const resource = useApiResource<EarningSettings>(path, { cache: false });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const headingId = useId();
  const id = (field: Field) => `${headingId}-${field}`;

  const loaded = resource.status === 'ready' ? resource.data : null;
  useEffect(() => {
    if (loaded) setDraft(draftOf(loaded));
  }, [loaded]);

  if (resource.status === 'error') {
    return <ErrorState error={resource.error} onRetry={resource.retry} />;
  }
  if (!draft) return <LoadingState label={t('earningSettings.loading')} />;

  const update = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next });
    setSaved(false);
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    setFailure(null);
    const found: Partial<Record<Field, string>> = {};
    const whole = (field: Field, text: string) => {
      if (!/^\d+$/.test(text.trim())) {
        found[field] = t('catalogue.errors.whole_number');
        return 0;
      }
      return Number(text.trim());
    };
    const body: EarningSettings = {
      yearlyCapPoints: draft.capOn ? whole('yearlyCapPoints', draft.yearlyCapPoints) : null,
      newAccountDays: whole('newAccountDays', draft.newAccountDays),
      velocityMaxClaims: whole('velocityMaxClaims', draft.velocityMaxClaims),
      velocityWindowMinutes: whole('velocityWindowMinutes', draft.velocityWindowMinutes),
      photoMaxHoursApart: whole('photoMaxHoursApart', draft.photoMaxHoursApart),
    };
    setErrors(found);
    const first = Object.keys(found)[0] as Field | undefined;
    if (first) {
      document.getElementById(id(first))?.focus();
      return;
    }
    setSaving(true);
    try {
      const next = await putJson<EarningSettings>(path, body);
      setDraft(draftOf(next));
      setSaved(true);
    } catch (error) {
      const fromApi: Partial<Record<Field, string>> = {};
      if (error instanceof ApiError) {
        for (const problem of error.errors) {
          const field = problem.field.replace(/^\/body\//, '') as Field;
          if (field === 'yearlyCapPoints' || (NUMBER_FIELDS as readonly string[]).includes(field)) {
            fromApi[field] = t(`catalogue.errors.${messageCodeOf(problem.code)}`);
          }
        }
      }
      setErrors(fromApi);
      if (Object.keys(fromApi).length === 0) setFailure(error);
    } finally {
      setSaving(false);
    }
  };

  const numberInput = (field: NumberField) => (
    <TextInput
      key={field}
      id={id(field)}
      label={t(`earningSettings.fields.${field}.label`)}
      description={t(`earningSettings.fields.${field}.hint`)}
      inputMode="numeric"
      value={draft[field]}
      onChange={(event) => update({ [field]: event.currentTarget.value })}
      error={errors[field]}
      data-testid={`setting-${field}`}
    />
  );

  return (
    <Stack component="section" gap="md" aria-labelledby={headingId} maw={760}>
      <div>
        <Title order={2} id={headingId}>
          {t('earningSettings.title')}
        </Title>
        <Text mt="xs">{t('earningSettings.intro')}</Text>
      </div>
      {failure !== null && <ActionError error={failure} />}
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <Stack gap="md">
          <Checkbox
            label={t('earningSettings.capOn')}
            description={t('earningSettings.capOnHint')}
            checked={draft.capOn}
            onChange={(event) => update({ capOn: event.currentTarget.checked })}
            styles={{ body: { alignItems: 'center', minHeight: 44 } }}
          />
          {draft.capOn && (
            <TextInput
              id={id('yearlyCapPoints')}
              label={t('earningSettings.fields.yearlyCapPoints.label')}
              description={t('earningSettings.fields.yearlyCapPoints.hint')}
              inputMode="numeric"
              maw="20rem"
              value={draft.yearlyCapPoints}
              onChange={(event) => update({ yearlyCapPoints: event.currentTarget.value })}
              error={errors.yearlyCapPoints}
              data-testid="setting-yearlyCapPoints"
            />
          )}
          <Title order={3} size="h4">
            {t('earningSettings.checksTitle')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            {NUMBER_FIELDS.map(numberInput)}
          </SimpleGrid>
          <div role="status" aria-live="polite" className={classes.status}>
            {saved && (
              <Text fw={600} data-testid="earning-settings-saved">
                {t('earningSettings.saved')}
              </Text>
            )}
          </div>
          <Button
            type="submit"
            loading={saving}
            className={classes.touch}
            style={{ alignSelf: 'flex-start' }}
          >
            {t('earningSettings.save')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
