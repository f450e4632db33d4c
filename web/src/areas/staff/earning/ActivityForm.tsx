import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Radio,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Partner } from '../../partners/partnersApi';
import classes from '../staff.module.css';
import { GroupError } from '../terms/FormParts';
import { LimitsEditor } from '../terms/LimitsEditor';
import { LocalizedTextFields } from '../terms/LocalizedTextFields';
import terms from '../terms/terms.module.css';
import {
  type ActivityDraft,
  COOLDOWN_UNITS,
  type FieldErrors,
  type MessageCode,
  toggleMethod,
} from './activityDraft';
import {
  ACTIVITY_CATEGORIES,
  BUDGET_PERIODS,
  PARTNER_KINDS,
  UNITS,
  VERIFICATION_METHODS,
} from './earningTypes';

/** The id of the input for a path of the terms, so an error can move the focus to it. */
export function fieldId(path: string): string {
  return `activity${path.replaceAll('/', '-')}`;
}

interface ActivityFormProps {
  mode: 'create' | 'change';
  draft: ActivityDraft;
  onChange: (next: ActivityDraft) => void;
  /** Message codes by path (`/names/nl`), from the form's own reading or from the API. */
  errors: FieldErrors;
  partners: Partner[];
  submitting: boolean;
  onSubmit: () => void;
  /** Shown above the button: what went wrong with the whole form. */
  formError?: ReactNode;
}

/**
 * The catalogue editor: names and descriptions in the four languages, category, points,
 * verification, evidence, limits, cooldown, window, budget, site and partners, and for a change
 * the date it takes effect. Field errors show next to their fields.
 */
export function ActivityForm({
  mode,
  draft,
  onChange,
  errors,
  partners,
  submitting,
  onSubmit,
  formError,
}: ActivityFormProps) {
  const { t } = useTranslation();
  const set = (next: Partial<ActivityDraft>) => onChange({ ...draft, ...next });
  const error = (path: string) => {
    const code = errors[path] as MessageCode | undefined;
    return code ? t(`catalogue.errors.${code}`) : undefined;
  };
  const groupError = (path: string) => <GroupError id={fieldId(path)} message={error(path)} />;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit();
  };
  const matchingPartners = partners.filter(
    (p) => draft.partnerKind === '' || p.kind === draft.partnerKind,
  );

  return (
    <form onSubmit={submit} noValidate data-testid="activity-form">
      <Stack gap="lg">
        <fieldset className={terms.fieldset}>
          <legend>{t('catalogue.form.namesTitle')}</legend>
          <Stack gap="sm">
            {mode === 'create' && (
              <TextInput
                id={fieldId('/code')}
                label={t('catalogue.form.code')}
                description={t('catalogue.form.codeHint')}
                autoCapitalize="none"
                spellCheck={false}
                maw="24rem"
                value={draft.code}
                onChange={(event) => set({ code: event.currentTarget.value })}
                error={error('/code')}
              />
            )}
            <LocalizedTextFields
              names={draft.names}
              descriptions={draft.descriptions}
              onChange={set}
              idOf={fieldId}
              error={error}
            />
            <Group gap="md" align="flex-start" wrap="wrap">
              <NativeSelect
                id={fieldId('/category')}
                label={t('catalogue.form.category')}
                value={draft.category}
                onChange={(event) =>
                  set({ category: event.currentTarget.value as ActivityDraft['category'] })
                }
                data={ACTIVITY_CATEGORIES.map((c) => ({
                  value: c,
                  label: t(`catalogue.categories.${c}`),
                }))}
                error={error('/category')}
              />
              <Radio.Group
                label={t('catalogue.form.earnedThrough')}
                value={draft.earnedThrough}
                onChange={(value) =>
                  set({ earnedThrough: value as ActivityDraft['earnedThrough'] })
                }
              >
                <Stack gap={6} mt={6}>
                  <Radio value="claims" label={t('catalogue.form.earnedThroughClaims')} />
                  <Radio value="reports" label={t('catalogue.form.earnedThroughReports')} />
                </Stack>
              </Radio.Group>
            </Group>
          </Stack>
        </fieldset>

        <fieldset className={terms.fieldset}>
          <legend>{t('catalogue.form.pointsTitle')}</legend>
          <Stack gap="sm">
            <Radio.Group
              label={t('catalogue.form.pointsMode')}
              value={draft.pointsMode}
              onChange={(value) => set({ pointsMode: value as ActivityDraft['pointsMode'] })}
            >
              <Group gap="lg" mt={6}>
                <Radio value="fixed" label={t('catalogue.form.pointsModeFixed')} />
                <Radio value="per_unit" label={t('catalogue.form.pointsModePerUnit')} />
              </Group>
            </Radio.Group>
            {draft.pointsMode === 'fixed' ? (
              <TextInput
                id={fieldId('/points/points')}
                label={t('catalogue.form.points')}
                inputMode="numeric"
                maw="12rem"
                value={draft.points}
                onChange={(event) => set({ points: event.currentTarget.value })}
                error={error('/points/points')}
              />
            ) : (
              <Group gap="md" align="flex-start" wrap="wrap">
                <NativeSelect
                  id={fieldId('/points/unit')}
                  label={t('catalogue.form.unit')}
                  value={draft.unit}
                  onChange={(event) =>
                    set({ unit: event.currentTarget.value as ActivityDraft['unit'] })
                  }
                  data={UNITS.map((u) => ({ value: u, label: t(`catalogue.unitNames.${u}`) }))}
                />
                <TextInput
                  id={fieldId('/points/pointsPerUnit')}
                  label={t('catalogue.form.pointsPerUnit')}
                  inputMode="numeric"
                  maw="12rem"
                  value={draft.pointsPerUnit}
                  onChange={(event) => set({ pointsPerUnit: event.currentTarget.value })}
                  error={error('/points/pointsPerUnit')}
                />
                <TextInput
                  id={fieldId('/points/maxPointsPerClaim')}
                  label={t('catalogue.form.maxPointsPerClaim')}
                  inputMode="numeric"
                  maw="14rem"
                  value={draft.maxPointsPerClaim}
                  onChange={(event) => set({ maxPointsPerClaim: event.currentTarget.value })}
                  error={error('/points/maxPointsPerClaim')}
                />
              </Group>
            )}
          </Stack>
        </fieldset>

        <fieldset className={terms.fieldset}>
          <legend>{t('catalogue.form.verificationTitle')}</legend>
          <Stack gap="md">
            <div id={fieldId('/verificationMethods')} tabIndex={-1}>
              <Text fw={600}>{t('catalogue.form.methods')}</Text>
              <Text size="sm" c="dimmed" mb={6}>
                {t('catalogue.form.methodsHint')}
              </Text>
              <Stack gap={6}>
                {VERIFICATION_METHODS.map((method) => {
                  const position = draft.methods.indexOf(method);
                  return (
                    <Checkbox
                      key={method}
                      label={
                        position >= 0
                          ? t('catalogue.form.methodNumbered', {
                              number: position + 1,
                              method: t(`catalogue.methods.${method}`),
                            })
                          : t(`catalogue.methods.${method}`)
                      }
                      description={t(`catalogue.methodHints.${method}`)}
                      checked={position >= 0}
                      onChange={(event) =>
                        set({
                          methods: toggleMethod(draft.methods, method, event.currentTarget.checked),
                        })
                      }
                      data-method={method}
                    />
                  );
                })}
              </Stack>
              {groupError('/verificationMethods')}
            </div>
            <div id={fieldId('/evidence')} tabIndex={-1}>
              <Text fw={600}>{t('catalogue.form.evidence')}</Text>
              <Stack gap={6} mt={6}>
                <Checkbox
                  label={t('catalogue.form.evidencePhoto')}
                  checked={draft.evidencePhoto}
                  onChange={(event) => set({ evidencePhoto: event.currentTarget.checked })}
                />
                <Checkbox
                  label={t('catalogue.form.evidenceLocation')}
                  checked={draft.evidenceLocation}
                  onChange={(event) => set({ evidenceLocation: event.currentTarget.checked })}
                />
                <Checkbox
                  id={fieldId('/evidence/site')}
                  label={t('catalogue.form.evidenceSite')}
                  checked={draft.evidenceSite}
                  onChange={(event) => set({ evidenceSite: event.currentTarget.checked })}
                />
              </Stack>
              {groupError('/evidence')}
              {groupError('/evidence/site')}
            </div>
          </Stack>
        </fieldset>

        <fieldset className={terms.fieldset}>
          <legend>{t('catalogue.form.limitsTitle')}</legend>
          <Stack gap="sm">
            <LimitsEditor
              rows={draft.limits}
              onChange={(limits) => set({ limits })}
              hint={t('catalogue.form.limitsHint')}
              idOf={fieldId}
              error={error}
            />
            <Group gap="sm" align="flex-start" wrap="wrap">
              <TextInput
                id={fieldId('/cooldownSeconds')}
                label={t('catalogue.form.cooldown')}
                description={t('catalogue.form.cooldownHint')}
                inputMode="numeric"
                w="14rem"
                value={draft.cooldown}
                onChange={(event) => set({ cooldown: event.currentTarget.value })}
                error={error('/cooldownSeconds')}
              />
              <NativeSelect
                label={t('catalogue.form.cooldownUnit')}
                value={draft.cooldownUnit}
                onChange={(event) =>
                  set({ cooldownUnit: event.currentTarget.value as ActivityDraft['cooldownUnit'] })
                }
                data={COOLDOWN_UNITS.map((u) => ({
                  value: u,
                  label: t(`catalogue.cooldownUnits.${u}`),
                }))}
              />
            </Group>
          </Stack>
        </fieldset>

        <fieldset className={terms.fieldset}>
          <legend>{t('catalogue.form.windowTitle')}</legend>
          <Stack gap="sm">
            <Group gap="md" align="flex-start" wrap="wrap">
              <TextInput
                id={fieldId('/validFrom')}
                type="datetime-local"
                label={t('catalogue.form.validFrom')}
                description={t('catalogue.form.openEnded')}
                value={draft.validFrom}
                onChange={(event) => set({ validFrom: event.currentTarget.value })}
                error={error('/validFrom')}
              />
              <TextInput
                id={fieldId('/validUntil')}
                type="datetime-local"
                label={t('catalogue.form.validUntil')}
                description={t('catalogue.form.openEnded')}
                value={draft.validUntil}
                onChange={(event) => set({ validUntil: event.currentTarget.value })}
                error={error('/validUntil')}
              />
            </Group>
            <Group gap="md" align="flex-start" wrap="wrap">
              <NativeSelect
                id={fieldId('/budget')}
                label={t('catalogue.form.budgetPeriod')}
                description={t('catalogue.form.budgetHint')}
                value={draft.budgetPeriod}
                onChange={(event) =>
                  set({ budgetPeriod: event.currentTarget.value as ActivityDraft['budgetPeriod'] })
                }
                data={[
                  { value: '', label: t('catalogue.form.noBudget') },
                  ...BUDGET_PERIODS.map((p) => ({
                    value: p,
                    label: t(`catalogue.budgetPeriods.${p}`),
                  })),
                ]}
                error={error('/budget')}
              />
              {draft.budgetPeriod !== '' && (
                <TextInput
                  id={fieldId('/budget/points')}
                  label={t('catalogue.form.budgetPoints')}
                  inputMode="numeric"
                  w="12rem"
                  value={draft.budgetPoints}
                  onChange={(event) => set({ budgetPoints: event.currentTarget.value })}
                  error={error('/budget/points')}
                />
              )}
            </Group>
          </Stack>
        </fieldset>

        <fieldset className={terms.fieldset}>
          <legend>{t('catalogue.form.placeTitle')}</legend>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('catalogue.form.siteHint')}
            </Text>
            <Group gap="md" align="flex-start" wrap="wrap" id={fieldId('/site')} tabIndex={-1}>
              <TextInput
                id={fieldId('/site/latitude')}
                label={t('catalogue.form.latitude')}
                inputMode="decimal"
                w="11rem"
                value={draft.siteLatitude}
                onChange={(event) => set({ siteLatitude: event.currentTarget.value })}
                error={error('/site/latitude')}
              />
              <TextInput
                id={fieldId('/site/longitude')}
                label={t('catalogue.form.longitude')}
                inputMode="decimal"
                w="11rem"
                value={draft.siteLongitude}
                onChange={(event) => set({ siteLongitude: event.currentTarget.value })}
                error={error('/site/longitude')}
              />
              <TextInput
                id={fieldId('/site/radiusMeters')}
                label={t('catalogue.form.radius')}
                inputMode="numeric"
                w="11rem"
                value={draft.siteRadius}
                onChange={(event) => set({ siteRadius: event.currentTarget.value })}
                error={error('/site/radiusMeters')}
              />
            </Group>
            {groupError('/site')}
            <Group gap="md" align="flex-start" wrap="wrap">
              <NativeSelect
                id={fieldId('/partnerKind')}
                label={t('catalogue.form.partnerKind')}
                description={t('catalogue.form.partnerKindHint')}
                value={draft.partnerKind}
                onChange={(event) =>
                  set({
                    partnerKind: event.currentTarget.value as ActivityDraft['partnerKind'],
                    partnerId: '',
                  })
                }
                data={[
                  { value: '', label: t('catalogue.form.noPartner') },
                  ...PARTNER_KINDS.map((k) => ({ value: k, label: t(`partners.kinds.${k}`) })),
                ]}
                error={error('/partnerKind')}
              />
              <NativeSelect
                id={fieldId('/partnerId')}
                label={t('catalogue.form.partner')}
                description={t('catalogue.form.partnerHint')}
                value={draft.partnerId}
                onChange={(event) => set({ partnerId: event.currentTarget.value })}
                data={[
                  { value: '', label: t('catalogue.form.anyPartner') },
                  ...matchingPartners.map((p) => ({ value: p.id, label: p.name })),
                  // A partner chosen before stays visible even when it no longer matches.
                  ...(draft.partnerId && !matchingPartners.some((p) => p.id === draft.partnerId)
                    ? [{ value: draft.partnerId, label: draft.partnerId }]
                    : []),
                ]}
                error={error('/partnerId')}
              />
              <TextInput
                id={fieldId('/impactKey')}
                label={t('catalogue.form.impactKey')}
                description={t('catalogue.form.impactKeyHint')}
                autoCapitalize="none"
                spellCheck={false}
                w="16rem"
                value={draft.impactKey}
                onChange={(event) => set({ impactKey: event.currentTarget.value })}
                error={error('/impactKey')}
              />
            </Group>
          </Stack>
        </fieldset>

        {mode === 'change' && (
          <fieldset className={terms.fieldset}>
            <legend>{t('catalogue.form.effectiveTitle')}</legend>
            <Stack gap="sm">
              <Text>{t('catalogue.form.effectiveHint')}</Text>
              <Radio.Group
                label={t('catalogue.form.effective')}
                value={draft.effective}
                onChange={(value) => set({ effective: value as ActivityDraft['effective'] })}
              >
                <Stack gap={6} mt={6}>
                  <Radio value="now" label={t('catalogue.form.effectiveNow')} />
                  <Radio value="date" label={t('catalogue.form.effectiveDate')} />
                </Stack>
              </Radio.Group>
              {draft.effective === 'date' && (
                <TextInput
                  id={fieldId('/effectiveFrom')}
                  type="datetime-local"
                  label={t('catalogue.form.effectiveFrom')}
                  maw="18rem"
                  value={draft.effectiveFrom}
                  onChange={(event) => set({ effectiveFrom: event.currentTarget.value })}
                  error={error('/effectiveFrom')}
                />
              )}
            </Stack>
          </fieldset>
        )}

        {formError}
        <Button
          type="submit"
          size="md"
          loading={submitting}
          className={classes.touch}
          style={{ alignSelf: 'flex-start' }}
        >
          {mode === 'create' ? t('catalogue.form.create') : t('catalogue.form.saveChange')}
        </Button>
      </Stack>
    </form>
  );
}
