import { useMemo } from 'react';
import { useMunicipalities } from '../api/endpoints';
import { useSession } from '../api/session';
import type { Municipality } from '../api/types';
import { intlLocale } from '../i18n/format';
import { useLocale } from '../i18n/useLocale';

/**
 * The municipalities with a boundary, by name in the reader's language, and the one chosen:
 * `explicit` when given, else the signed-in resident's own, else the first.
 */
export function useMunicipalityChoice(explicit: string | null): {
  options: Municipality[];
  chosen: string | null;
} {
  const { locale } = useLocale();
  const session = useSession();
  const municipalities = useMunicipalities();
  const options = useMemo(
    () =>
      municipalities.status === 'ready'
        ? municipalities.data.items
            .filter((m) => m.hasBoundary)
            .sort((a, b) => a.names[locale].localeCompare(b.names[locale], intlLocale(locale)))
        : [],
    [municipalities, locale],
  );
  const me = session.state.status === 'signedIn' ? session.state.me : null;
  const own = me ? options.find((m) => m.id === me.municipalityId)?.slug : undefined;
  return { options, chosen: explicit ?? own ?? options[0]?.slug ?? null };
}
