import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { GlobeIcon } from '../components/icons';
import { isLocale, LOCALE_ENDONYMS, LOCALES } from '../i18n/locales';
import { useLocale } from '../i18n/useLocale';
import classes from './layout.module.css';

/** A native select (so phones show their own picker) listing each language in its own name. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const { locale, setLocale } = useLocale();
  return (
    <NativeSelect
      label={t('language.label')}
      classNames={{
        root: classes.language,
        label: classes.visuallyHidden,
        input: classes.languageInput,
        section: classes.languageSection,
      }}
      leftSection={<GlobeIcon size={18} />}
      rightSectionWidth={28}
      value={locale}
      onChange={(event) => {
        const next = event.currentTarget.value;
        if (isLocale(next)) setLocale(next);
      }}
      size="sm"
      w={{ base: 124, xs: 148, sm: 168 }}
    >
      {LOCALES.map((code) => (
        <option key={code} value={code} lang={code}>
          {LOCALE_ENDONYMS[code]}
        </option>
      ))}
    </NativeSelect>
  );
}
