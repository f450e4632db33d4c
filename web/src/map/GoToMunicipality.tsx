import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Municipality } from '../api/types';
import { useLocale } from '../i18n/useLocale';

/** "Go to": moves a map page to a municipality, kept in the address as `?municipality=`. */
export function GoToMunicipality({
  options,
  chosen,
}: {
  options: Municipality[];
  chosen: string | null;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [search, setSearch] = useSearchParams();
  if (options.length === 0) return null;
  return (
    <NativeSelect
      label={t('map.goTo')}
      value={chosen ?? ''}
      size="md"
      onChange={(event) => {
        const next = new URLSearchParams(search);
        next.set('municipality', event.currentTarget.value);
        setSearch(next, { replace: true });
      }}
      data={options.map((m) => ({ value: m.slug, label: m.names[locale] }))}
    />
  );
}
