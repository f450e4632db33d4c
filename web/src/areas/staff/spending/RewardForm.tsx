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
import { formatEuroCents } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import type { Partner } from '../../partners/partnersApi';
import { PARTNER_KINDS } from '../earning/earningTypes';
import classes from '../staff.module.css';
import { Fieldset, GroupError } from '../terms/FormParts';
import { LimitsEditor } from '../terms/LimitsEditor';
import { LocalizedTextFields } from '../terms/LocalizedTextFields';
import { centsOf, type FieldErrors } from '../terms/termsDraft';
import {
  isRewardCode,
  issuesVoucher,
  messageAt,
  type RewardDraft,
  type RewardMessageCode,
  togglePartner,
  valueModesFor,
  withKind,
} from './rewardDraft';
import { REWARD_CATEGORIES, REWARD_KINDS, REWARD_SCOPES } from './spendingTypes';

/** The id of the input for a path of the terms, so an error can move the focus to it. */
export function rewardFieldId(path: string): string {
  return `reward${path.replaceAll('/', '-')}`;
}

/** Under an amount in euros: how to write it, or the amount as read ("That is € 5,50."). */
export function useEuroHint() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (text: string) => {
    const cents = centsOf(text.trim());
    return cents === null
      ? t('staffRewards.form.eurosHint')
      : t('staffRewards.form.amountIs', { amount: formatEuroCents(cents, locale) });
  };
}

/** The text of a reward form's message code: shared with activities, or about rewards. */
export function useRewardMessage() {
  const { t } = useTranslation();
  return (code: RewardMessageCode) =>
    isRewardCode(code) ? t(`staffRewards.errors.${code}`) : t(`catalogue.errors.${code}`);
}

interface RewardFormProps {
  mode: 'create' | 'change';
  draft: RewardDraft;
  onChange: (next: RewardDraft) => void;
  errors: FieldErrors;
  partners: Partner[];
  pointValueCents: number;
  submitting: boolean;
  onSubmit: () => void;
  formError?: ReactNode;
}

/**
 * The reward editor: names and descriptions in the four languages, kind (fixed once made),
 * category, price and value, stock and limits, the voucher's validity, scope and where it is
 * redeemed, the cause of a donation, the yearly cap of a tax reduction, and when it can be bought.
 * Field errors show next to their fields.
 */
export function RewardForm({
  mode,
  draft,
  onChange,
  errors,
  partners,
  pointValueCents,
  submitting,
  onSubmit,
  formError,
}: RewardFormProps) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const message = useRewardMessage();
  const set = (next: Partial<RewardDraft>) => onChange({ ...draft, ...next });
  const error = (path: string) => {
    const code = errors[path] as RewardMessageCode | undefined;
    return code ? message(messageAt(path, code)) : undefined;
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit();
  };
  const voucher = issuesVoucher(draft.kind);
  const modes = valueModesFor(draft.kind);
  const price = Number(draft.pricePoints.trim());
  const worth =
    Number.isSafeInteger(price) && price > 0
      ? t('staffRewards.form.pointsWorth', {
          value: formatEuroCents(pointValueCents, locale),
          total: formatEuroCents(price * pointValueCents, locale),
        })
      : t('staffRewards.form.pointValue', { value: formatEuroCents(pointValueCents, locale) });
  const euroHint = useEuroHint();
  const charities = partners.filter((p) => p.kind === 'charity');
  const known = new Set(partners.map((p) => p.id));

  return (
    <form onSubmit={submit} noValidate data-testid="reward-form">
      <Stack gap="lg">
        <Fieldset legend={t('catalogue.form.namesTitle')}>
          <Stack gap="sm">
            <Group gap="md" align="flex-start" wrap="wrap">
              {mode === 'create' && (
                <TextInput
                  id={rewardFieldId('/code')}
                  label={t('catalogue.form.code')}
                  description={t('staffRewards.form.codeHint')}
                  autoCapitalize="none"
                  spellCheck={false}
                  w="20rem"
                  value={draft.code}
                  onChange={(event) => set({ code: event.currentTarget.value })}
                  error={error('/code')}
                />
              )}
              {mode === 'create' ? (
                <NativeSelect
                  id={rewardFieldId('/kind')}
                  label={t('staffRewards.form.kind')}
                  description={t('staffRewards.form.kindHint')}
                  value={draft.kind}
                  onChange={(event) =>
                    onChange(withKind(draft, event.currentTarget.value as RewardDraft['kind']))
                  }
                  data={REWARD_KINDS.map((k) => ({
                    value: k,
                    label: t(`staffRewards.kinds.${k}`),
                  }))}
                  error={error('/kind')}
                />
              ) : (
                <div id={rewardFieldId('/kind')} tabIndex={-1}>
                  <Text fw={600}>{t('staffRewards.form.kind')}</Text>
                  <Text data-testid="reward-kind">{t(`staffRewards.kinds.${draft.kind}`)}</Text>
                  <Text size="sm" c="dimmed">
                    {t('staffRewards.form.kindFixed')}
                  </Text>
                  <GroupError id={rewardFieldId('/kind')} message={error('/kind')} />
                </div>
              )}
              <NativeSelect
                id={rewardFieldId('/category')}
                label={t('staffRewards.form.category')}
                value={draft.category}
                onChange={(event) =>
                  set({ category: event.currentTarget.value as RewardDraft['category'] })
                }
                data={REWARD_CATEGORIES.map((c) => ({
                  value: c,
                  label: t(`staffRewards.categories.${c}`),
                }))}
                error={error('/category')}
              />
            </Group>
            <Text size="sm" c="dimmed">
              {t(`staffRewards.kindHints.${draft.kind}`)}
            </Text>
            <LocalizedTextFields
              names={draft.names}
              descriptions={draft.descriptions}
              onChange={set}
              idOf={rewardFieldId}
              error={error}
            />
          </Stack>
        </Fieldset>

        <Fieldset legend={t('staffRewards.form.priceTitle')}>
          <Stack gap="sm">
            <TextInput
              id={rewardFieldId('/pricePoints')}
              label={t('staffRewards.form.price')}
              description={worth}
              inputMode="numeric"
              maw="20rem"
              value={draft.pricePoints}
              onChange={(event) => set({ pricePoints: event.currentTarget.value })}
              error={error('/pricePoints')}
            />
            <div id={rewardFieldId('/value')} tabIndex={-1}>
              <Radio.Group
                label={t('staffRewards.form.value')}
                description={t('staffRewards.form.valueHint')}
                value={draft.valueMode}
                onChange={(value) => set({ valueMode: value as RewardDraft['valueMode'] })}
              >
                <Group gap="lg" mt={6}>
                  {modes.map((m) => (
                    <Radio key={m} value={m} label={t(`staffRewards.valueModes.${m}`)} />
                  ))}
                </Group>
              </Radio.Group>
              <GroupError id={rewardFieldId('/value')} message={error('/value')} />
            </div>
            {draft.valueMode === 'amount' && (
              <TextInput
                id={rewardFieldId('/value/cents')}
                label={t('staffRewards.form.amount')}
                description={euroHint(draft.valueAmount)}
                inputMode="decimal"
                maw="14rem"
                value={draft.valueAmount}
                onChange={(event) => set({ valueAmount: event.currentTarget.value })}
                error={error('/value/cents')}
              />
            )}
            {draft.valueMode === 'percent' && (
              <Group gap="md" align="flex-start" wrap="wrap">
                <TextInput
                  id={rewardFieldId('/value/percent')}
                  label={t('staffRewards.form.percent')}
                  inputMode="numeric"
                  w="10rem"
                  value={draft.valuePercent}
                  onChange={(event) => set({ valuePercent: event.currentTarget.value })}
                  error={error('/value/percent')}
                />
                <TextInput
                  id={rewardFieldId('/value/maxCents')}
                  label={t('staffRewards.form.percentMax')}
                  description={euroHint(draft.valueMax)}
                  inputMode="decimal"
                  w="14rem"
                  value={draft.valueMax}
                  onChange={(event) => set({ valueMax: event.currentTarget.value })}
                  error={error('/value/maxCents')}
                />
              </Group>
            )}
            {draft.kind === 'tax_reduction' && (
              <TextInput
                id={rewardFieldId('/householdYearlyCapCents')}
                label={t('staffRewards.form.yearlyCap')}
                description={euroHint(draft.yearlyCap)}
                inputMode="decimal"
                maw="20rem"
                value={draft.yearlyCap}
                onChange={(event) => set({ yearlyCap: event.currentTarget.value })}
                error={error('/householdYearlyCapCents')}
              />
            )}
            {draft.kind === 'donation' && (
              <NativeSelect
                id={rewardFieldId('/causePartnerId')}
                label={t('staffRewards.form.cause')}
                description={t('staffRewards.form.causeHint')}
                maw="28rem"
                value={draft.causePartnerId}
                onChange={(event) => set({ causePartnerId: event.currentTarget.value })}
                data={[
                  { value: '', label: t('staffRewards.form.chooseCause') },
                  ...charities.map((p) => ({ value: p.id, label: p.name })),
                  ...(draft.causePartnerId && !known.has(draft.causePartnerId)
                    ? [{ value: draft.causePartnerId, label: draft.causePartnerId }]
                    : []),
                ]}
                error={error('/causePartnerId')}
              />
            )}
          </Stack>
        </Fieldset>

        <Fieldset legend={t('staffRewards.form.stockTitle')}>
          <Stack gap="sm">
            <Checkbox
              label={t('staffRewards.form.stockKept')}
              description={t('staffRewards.form.stockKeptHint')}
              checked={draft.stockKept}
              onChange={(event) => set({ stockKept: event.currentTarget.checked })}
            />
            {draft.stockKept && (
              <TextInput
                id={rewardFieldId('/stock')}
                label={t('staffRewards.form.stock')}
                description={t('staffRewards.form.stockHint')}
                inputMode="numeric"
                maw="16rem"
                value={draft.stock}
                onChange={(event) => set({ stock: event.currentTarget.value })}
                error={error('/stock')}
              />
            )}
            <LimitsEditor
              rows={draft.limits}
              onChange={(limits) => set({ limits })}
              hint={t('staffRewards.form.limitsHint')}
              idOf={rewardFieldId}
              error={error}
            />
          </Stack>
        </Fieldset>

        {voucher && (
          <Fieldset legend={t('staffRewards.form.voucherTitle')}>
            <Stack gap="sm">
              <Group gap="md" align="flex-start" wrap="wrap">
                <TextInput
                  id={rewardFieldId('/validityDays')}
                  label={t('staffRewards.form.validityDays')}
                  description={t('staffRewards.form.validityDaysHint')}
                  inputMode="numeric"
                  w="14rem"
                  value={draft.validityDays}
                  onChange={(event) => set({ validityDays: event.currentTarget.value })}
                  error={error('/validityDays')}
                />
                <Radio.Group
                  id={rewardFieldId('/scope')}
                  label={t('staffRewards.form.scope')}
                  value={draft.scope}
                  onChange={(value) => set({ scope: value as RewardDraft['scope'] })}
                  error={error('/scope')}
                >
                  <Stack gap={6} mt={6}>
                    {REWARD_SCOPES.map((s) => (
                      <Radio key={s} value={s} label={t(`staffRewards.scopes.${s}`)} />
                    ))}
                  </Stack>
                </Radio.Group>
              </Group>
              <Text size="sm" c="dimmed">
                {t('staffRewards.form.whereHint')}
              </Text>
              <NativeSelect
                id={rewardFieldId('/partnerKind')}
                label={t('staffRewards.form.partnerKind')}
                maw="24rem"
                value={draft.partnerKind}
                onChange={(event) =>
                  set({ partnerKind: event.currentTarget.value as RewardDraft['partnerKind'] })
                }
                data={[
                  { value: '', label: t('staffRewards.form.noPartnerKind') },
                  ...PARTNER_KINDS.map((k) => ({ value: k, label: t(`partners.kinds.${k}`) })),
                ]}
                error={error('/partnerKind')}
              />
              <div id={rewardFieldId('/partnerIds')} tabIndex={-1}>
                <Text fw={600}>{t('staffRewards.form.partners')}</Text>
                <Text size="sm" c="dimmed" mb={6}>
                  {t('staffRewards.form.partnersHint')}
                </Text>
                {partners.length === 0 && <Text>{t('staffRewards.form.noPartners')}</Text>}
                <Stack gap={6} data-testid="reward-partners">
                  {partners.map((p) => (
                    <Checkbox
                      key={p.id}
                      label={`${p.name} (${t(`partners.kinds.${p.kind}`)})`}
                      checked={draft.partnerIds.includes(p.id)}
                      onChange={(event) =>
                        set({
                          partnerIds: togglePartner(
                            draft.partnerIds,
                            p.id,
                            event.currentTarget.checked,
                          ),
                        })
                      }
                    />
                  ))}
                  {/* Partners of other municipalities (region-wide rewards) by their id. */}
                  {draft.partnerIds
                    .filter((id) => !known.has(id))
                    .map((id) => (
                      <Checkbox
                        key={id}
                        label={id}
                        checked
                        onChange={() =>
                          set({ partnerIds: togglePartner(draft.partnerIds, id, false) })
                        }
                      />
                    ))}
                </Stack>
                <GroupError id={rewardFieldId('/partnerIds')} message={error('/partnerIds')} />
              </div>
            </Stack>
          </Fieldset>
        )}

        <Fieldset legend={t('staffRewards.form.windowTitle')}>
          <Group gap="md" align="flex-start" wrap="wrap">
            <TextInput
              id={rewardFieldId('/validFrom')}
              type="datetime-local"
              label={t('staffRewards.form.validFrom')}
              description={t('catalogue.form.openEnded')}
              value={draft.validFrom}
              onChange={(event) => set({ validFrom: event.currentTarget.value })}
              error={error('/validFrom')}
            />
            <TextInput
              id={rewardFieldId('/validUntil')}
              type="datetime-local"
              label={t('staffRewards.form.validUntil')}
              description={t('catalogue.form.openEnded')}
              value={draft.validUntil}
              onChange={(event) => set({ validUntil: event.currentTarget.value })}
              error={error('/validUntil')}
            />
          </Group>
        </Fieldset>

        {formError}
        <Button
          type="submit"
          size="md"
          loading={submitting}
          className={classes.touch}
          style={{ alignSelf: 'flex-start' }}
        >
          {mode === 'create' ? t('staffRewards.form.create') : t('staffRewards.form.save')}
        </Button>
      </Stack>
    </form>
  );
}
