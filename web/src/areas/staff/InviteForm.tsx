import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  Stack,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { postJson } from '../../api/client';
import type { User } from '../../api/types';
import { languageName } from '../../i18n/format';
import { LOCALES, type Locale } from '../../i18n/locales';
import { useLocale } from '../../i18n/useLocale';
import { ActionError } from './ActionError';
import { STAFF_ROLES } from './access';
import classes from './staff.module.css';

interface InviteFormProps {
  /** Where the invitation is posted: a municipality's staff, or the operators. */
  path: string;
  /** Ask for staff roles (not for operator admins). */
  withRoles: boolean;
  defaultLocale: Locale;
  onInvited: (user: User) => void;
}

/** Invites a colleague by email: name, address, the invitation's language and, for staff, roles. */
export function InviteForm({ path, withRoles, defaultLocale, onInvited }: InviteFormProps) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [language, setLanguage] = useState<Locale>(defaultLocale);
  const [roles, setRoles] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState<'name' | 'email' | 'roles' | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problem = !name.trim()
      ? 'name'
      : !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())
        ? 'email'
        : withRoles && roles.length === 0
          ? 'roles'
          : null;
    setMissing(problem);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      const user = await postJson<User>(path, {
        displayName: name.trim(),
        email: email.trim(),
        locale: language,
        ...(withRoles && { roles }),
      });
      setName('');
      setEmail('');
      setRoles([]);
      onInvited(user);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="invite-title">
      <Title order={2} size="h4" id="invite-title" mb="sm">
        {t('staffArea.invite.title')}
      </Title>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="sm">
          <Group grow align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              label={t('staffArea.invite.name')}
              name="displayName"
              autoComplete="off"
              required
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={missing === 'name' ? t('staffArea.invite.nameMissing') : undefined}
              miw="12rem"
            />
            <TextInput
              label={t('staffArea.invite.email')}
              name="email"
              type="email"
              autoComplete="off"
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              error={missing === 'email' ? t('signIn.emailInvalid') : undefined}
              miw="12rem"
            />
            <NativeSelect
              label={t('staffArea.invite.language')}
              name="locale"
              value={language}
              onChange={(event) => setLanguage(event.currentTarget.value as Locale)}
              data={LOCALES.map((l) => ({ value: l, label: languageName(l, locale) }))}
              miw="10rem"
            />
          </Group>
          {withRoles && (
            <Checkbox.Group
              label={t('staffArea.invite.roles')}
              value={roles}
              onChange={setRoles}
              error={missing === 'roles' ? t('staffArea.invite.rolesMissing') : undefined}
            >
              <Group gap="md" mt={6}>
                {STAFF_ROLES.map((role) => (
                  <Checkbox key={role} value={role} label={t(`staffArea.roles.${role}`)} />
                ))}
              </Group>
            </Checkbox.Group>
          )}
          {Boolean(error) && <ActionError error={error} />}
          <Group>
            <Button type="submit" loading={busy} className={classes.touch}>
              {t('staffArea.invite.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
