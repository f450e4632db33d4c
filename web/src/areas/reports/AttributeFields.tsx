import { Checkbox, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../i18n/useLocale';
import type { AttributeValue, CategoryAttribute } from './reportsApi';

/**
 * The questions of a report category (Open311 attributes), each as its datatype asks: a line of
 * text, a number, a date and time, a longer text, one choice of a list, several choices.
 */
export function AttributeFields({
  attributes,
  values,
  errors,
  onChange,
}: {
  attributes: CategoryAttribute[];
  values: Record<string, AttributeValue>;
  errors: Record<string, string>;
  onChange: (code: string, value: AttributeValue | null) => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const sorted = [...attributes].sort((a, b) => a.order - b.order);
  return (
    <Stack gap="md" data-testid="attribute-fields">
      {sorted.map((attribute) => {
        const label = attribute.descriptions[locale] || attribute.descriptions.en || attribute.code;
        const common = {
          label,
          required: attribute.required,
          error: errors[attribute.code],
          size: 'md' as const,
        };
        const value = values[attribute.code];
        const text =
          typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
        switch (attribute.datatype) {
          case 'string':
            return (
              <TextInput
                key={attribute.code}
                {...common}
                value={text}
                maxLength={500}
                onChange={(e) => onChange(attribute.code, e.currentTarget.value || null)}
              />
            );
          case 'number':
            return (
              <TextInput
                key={attribute.code}
                {...common}
                inputMode="decimal"
                value={text}
                onChange={(e) => {
                  const raw = e.currentTarget.value.replace(',', '.').trim();
                  const n = Number(raw);
                  onChange(attribute.code, raw === '' ? null : Number.isFinite(n) ? n : raw);
                }}
              />
            );
          case 'datetime':
            return (
              <TextInput
                key={attribute.code}
                {...common}
                type="datetime-local"
                value={text ? text.slice(0, 16) : ''}
                onChange={(e) => {
                  const raw = e.currentTarget.value;
                  onChange(attribute.code, raw ? new Date(raw).toISOString() : null);
                }}
              />
            );
          case 'text':
            return (
              <Textarea
                key={attribute.code}
                {...common}
                autosize
                minRows={3}
                value={text}
                onChange={(e) => onChange(attribute.code, e.currentTarget.value || null)}
              />
            );
          case 'singlevaluelist':
            return (
              <NativeSelect
                key={attribute.code}
                {...common}
                value={text}
                onChange={(e) => onChange(attribute.code, e.currentTarget.value || null)}
                data={[
                  { value: '', label: t('reports.form.choose') },
                  ...attribute.values.map((v) => ({
                    value: v.key,
                    label: v.names[locale] || v.names.en || v.key,
                  })),
                ]}
              />
            );
          case 'multivaluelist':
            return (
              <Checkbox.Group
                key={attribute.code}
                label={label}
                withAsterisk={attribute.required}
                error={errors[attribute.code]}
                value={Array.isArray(value) ? value : []}
                onChange={(next) => onChange(attribute.code, next.length > 0 ? next : null)}
              >
                <Stack gap="xs" mt="xs">
                  {attribute.values.map((v) => (
                    <Checkbox
                      key={v.key}
                      value={v.key}
                      size="md"
                      label={v.names[locale] || v.names.en || v.key}
                    />
                  ))}
                </Stack>
              </Checkbox.Group>
            );
          default:
            return null;
        }
      })}
    </Stack>
  );
}
