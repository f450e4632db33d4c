import { Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LIMIT_PERIODS, LIMIT_SCOPES } from '../earning/earningTypes';
import classes from '../staff.module.css';
import { GroupError } from './FormParts';
import { type LimitDraft, newLimitRow } from './termsDraft';

interface LimitsEditorProps {
  rows: LimitDraft[];
  onChange: (rows: LimitDraft[]) => void;
  /** What a limit does here (refuses requests for points, or purchases). */
  hint: string;
  idOf: (path: string) => string;
  error: (path: string) => string | undefined;
}

/**
 * Limits per resident or household and per period: how many times, how many points, or both;
 * rows to add and remove, each control labelled with its row's number.
 */
export function LimitsEditor({ rows, onChange, hint, idOf, error }: LimitsEditorProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {hint}
      </Text>
      {rows.length === 0 && <Text>{t('catalogue.form.noLimits')}</Text>}
      {rows.map((row, index) => {
        const change = (next: Partial<LimitDraft>) =>
          onChange(rows.map((r) => (r.key === row.key ? { ...r, ...next } : r)));
        const number = index + 1;
        return (
          <div key={row.key} id={idOf(`/limits/${index}`)} tabIndex={-1}>
            <Group gap="sm" align="flex-end" wrap="wrap" data-testid="limit-row">
              <NativeSelect
                label={t('catalogue.form.limitScope', { number })}
                value={row.scope}
                onChange={(event) =>
                  change({ scope: event.currentTarget.value as LimitDraft['scope'] })
                }
                data={LIMIT_SCOPES.map((s) => ({ value: s, label: t(`catalogue.scopes.${s}`) }))}
              />
              <NativeSelect
                label={t('catalogue.form.limitPeriod', { number })}
                value={row.period}
                onChange={(event) =>
                  change({ period: event.currentTarget.value as LimitDraft['period'] })
                }
                data={LIMIT_PERIODS.map((p) => ({ value: p, label: t(`catalogue.periods.${p}`) }))}
              />
              <TextInput
                id={idOf(`/limits/${index}/maxCount`)}
                label={t('catalogue.form.limitMaxCount', { number })}
                inputMode="numeric"
                w="9rem"
                value={row.maxCount}
                onChange={(event) => change({ maxCount: event.currentTarget.value })}
                error={error(`/limits/${index}/maxCount`)}
              />
              <TextInput
                id={idOf(`/limits/${index}/maxPoints`)}
                label={t('catalogue.form.limitMaxPoints', { number })}
                inputMode="numeric"
                w="9rem"
                value={row.maxPoints}
                onChange={(event) => change({ maxPoints: event.currentTarget.value })}
                error={error(`/limits/${index}/maxPoints`)}
              />
              <Button
                variant="default"
                className={classes.action}
                onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
              >
                {t('catalogue.form.removeLimit', { number })}
              </Button>
            </Group>
            <GroupError id={idOf(`/limits/${index}`)} message={error(`/limits/${index}`)} />
          </div>
        );
      })}
      <Button
        variant="default"
        className={classes.action}
        style={{ alignSelf: 'flex-start' }}
        onClick={() => onChange([...rows, newLimitRow()])}
      >
        {t('catalogue.form.addLimit')}
      </Button>
      <GroupError id={idOf('/limits')} message={error('/limits')} />
    </Stack>
  );
}
