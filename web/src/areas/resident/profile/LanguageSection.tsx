import { Alert, Button, Group, NativeSelect, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../../../api/profile';
import { useSession } from '../../../api/session';
import type { Me } from '../../../api/types';
import { AlertIcon } from '../../../components/icons';
import { isLocale, LOCALE_ENDONYMS, LOCALES, type Locale } from '../../../i18n/locales';
import { useLocale } from '../../../i18n/useLocale';
import classes from './profile.module.css';
import { Section } from './Section';

/** The language of the resident's emails and member card (and of this app on this device). */
export function LanguageSection({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { setLocale } = useLocale();
  const session = useSession();
  const [choice, setChoice] = useState<Locale>(me.preferredLocale);
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setState('saving');
    try {
      await changeLanguage(choice);
      setLocale(choice);
      await session.refresh();
      setState('saved');
    } catch {
      setState('failed');
    }
  };

  return (
    <Section id="profile-language" title={t('profile.language.title')}>
      <Text mb="sm">{t('profile.language.text')}</Text>
      <form onSubmit={(event) => void save(event)}>
        <Group align="end" gap="sm">
          <NativeSelect
            label={t('profile.language.label')}
            value={choice}
            size="md"
            onChange={(event) => {
              const next = event.currentTarget.value;
              if (isLocale(next)) setChoice(next);
              setState('idle');
            }}
          >
            {LOCALES.map((code) => (
              <option key={code} value={code} lang={code}>
                {LOCALE_ENDONYMS[code]}
              </option>
            ))}
          </NativeSelect>
          <Button type="submit" size="md" className={classes.touch} loading={state === 'saving'}>
            {t('profile.language.save')}
          </Button>
        </Group>
      </form>
      <div role="status" aria-live="polite">
        {state === 'saved' && (
          <Text mt="sm" fw={600} c="civic.9">
            {t('profile.language.saved')}
          </Text>
        )}
      </div>
      {state === 'failed' && (
        <Alert role="alert" color="red" variant="light" icon={<AlertIcon />} mt="sm">
          {t('profile.failed')}
        </Alert>
      )}
    </Section>
  );
}
