import { SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { languageName } from '../../../i18n/format';
import { LOCALES, type Locale } from '../../../i18n/locales';
import { useLocale } from '../../../i18n/useLocale';

type Texts = Record<Locale, string>;

interface LocalizedTextFieldsProps {
  names: Texts;
  descriptions: Texts;
  onChange: (next: { names?: Texts; descriptions?: Texts }) => void;
  /** The input id for a path (`/names/nl`), so an error can move the focus there. */
  idOf: (path: string) => string;
  /** The message for a path, if it has an error. */
  error: (path: string) => string | undefined;
}

/** A name and a description in each of the four languages, side by side on a desk. */
export function LocalizedTextFields({
  names,
  descriptions,
  onChange,
  idOf,
  error,
}: LocalizedTextFieldsProps) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
      {LOCALES.map((l: Locale) => (
        <Stack key={l} gap={4}>
          <TextInput
            id={idOf(`/names/${l}`)}
            label={t('catalogue.form.name', { language: languageName(l, locale) })}
            lang={l}
            value={names[l]}
            onChange={(event) => onChange({ names: { ...names, [l]: event.currentTarget.value } })}
            error={error(`/names/${l}`)}
          />
          <Textarea
            id={idOf(`/descriptions/${l}`)}
            label={t('catalogue.form.description', { language: languageName(l, locale) })}
            lang={l}
            autosize
            minRows={2}
            value={descriptions[l]}
            onChange={(event) =>
              onChange({ descriptions: { ...descriptions, [l]: event.currentTarget.value } })
            }
            error={error(`/descriptions/${l}`)}
          />
        </Stack>
      ))}
    </SimpleGrid>
  );
}
