import { Alert, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, deleteJson, patchJson } from '../../api/client';
import { usePasskeys } from '../../api/endpoints';
import type { Passkey } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { AlertIcon, KeyIcon } from '../../components/icons';
import { LoadingState } from '../../components/LoadingState';
import { formatDate } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { FailureAlert } from './FailureAlert';
import { canUsePasskeys, createPasskey, type PasskeyError, passkeyErrorOf } from './passkeys';
import classes from './resident.module.css';

const MAX_NAME = 50;

type Failure = PasskeyError | 'not_found';

function failureOf(error: unknown): Failure {
  return error instanceof ApiError && error.code === 'passkey_not_found'
    ? 'not_found'
    : passkeyErrorOf(error);
}

/**
 * The profile's passkeys: the list (name, when added, when last used), add one under a name,
 * rename and remove. Says what happened after each step, and what to do when one fails.
 */
export function PasskeysSection() {
  const { t } = useTranslation();
  const resource = usePasskeys();
  const [items, setItems] = useState<Passkey[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // The list as loaded; from then on the section keeps it up to date itself.
  const loaded = resource.status === 'ready' ? resource.data : null;
  useEffect(() => {
    if (loaded) setItems(loaded.items);
  }, [loaded]);

  const report = (message: string | null, error: unknown = null) => {
    setStatus(message);
    setFailure(error === null ? null : failureOf(error));
  };

  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="passkeys-title">
      <Stack gap="md">
        <Group gap="sm" wrap="nowrap">
          <span className={classes.sectionIcon} aria-hidden="true">
            <KeyIcon size={22} />
          </span>
          <Title order={2} size="h3" id="passkeys-title" ref={heading} tabIndex={-1}>
            {t('passkeys.title')}
          </Title>
        </Group>
        <Text>{t('passkeys.intro')}</Text>

        <div
          role="status"
          aria-live="polite"
          className={classes.status}
          data-testid="passkey-status"
        >
          {status && <Text fw={600}>{status}</Text>}
        </div>
        {failure && (
          <FailureAlert title={t('passkeys.errorTitle')} testId="passkey-error">
            {t(`passkeys.errors.${failure}`)}
          </FailureAlert>
        )}

        {resource.status === 'loading' && !items && <LoadingState label={t('passkeys.loading')} />}
        {resource.status === 'error' && !items && (
          <ErrorState error={resource.error} onRetry={resource.retry} />
        )}
        {items && (
          <PasskeyList
            items={items}
            onRenamed={(passkey) => {
              setItems(items.map((p) => (p.id === passkey.id ? passkey : p)));
              report(t('passkeys.renamed', { name: passkey.name }));
            }}
            onRemoved={(passkey) => {
              setItems(items.filter((p) => p.id !== passkey.id));
              report(t('passkeys.removed', { name: passkey.name }));
              heading.current?.focus();
            }}
            onFailed={(error) => report(null, error)}
          />
        )}

        <AddPasskeyForm
          onAdded={(passkey) => {
            setItems([...(items ?? []), passkey]);
            report(t('passkeys.addedDone', { name: passkey.name }));
          }}
          onStarted={() => report(null)}
          onFailed={(error) => report(null, error)}
        />
      </Stack>
    </Paper>
  );
}

interface ListProps {
  items: Passkey[];
  onRenamed: (passkey: Passkey) => void;
  onRemoved: (passkey: Passkey) => void;
  onFailed: (error: unknown) => void;
}

function PasskeyList({ items, ...handlers }: ListProps) {
  const { t } = useTranslation();
  if (items.length === 0) {
    return (
      <Text c="dimmed" data-testid="passkeys-empty">
        {t('passkeys.empty')}
      </Text>
    );
  }
  return (
    <ul className={classes.passkeyList} aria-label={t('passkeys.listLabel')}>
      {items.map((passkey) => (
        <PasskeyItem key={passkey.id} passkey={passkey} {...handlers} />
      ))}
    </ul>
  );
}

function PasskeyItem({
  passkey,
  onRenamed,
  onRemoved,
  onFailed,
}: Omit<ListProps, 'items'> & { passkey: Passkey }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [mode, setMode] = useState<'view' | 'rename' | 'remove'>('view');
  const name = useNameField(passkey.name);
  const [busy, setBusy] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);
  const nameInput = name.inputRef;
  const confirmButton = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    if (mode === 'rename') nameInput.current?.focus();
    if (mode === 'remove') confirmButton.current?.focus();
  }, [mode, nameInput]);

  const back = () => {
    setMode('view');
    name.onValue(passkey.name);
    // After the buttons are back, so focus is not lost to the page.
    requestAnimationFrame(() => renameButton.current?.focus());
  };

  const rename = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = name.take();
    if (!trimmed) return;
    setBusy(true);
    try {
      const saved = await patchJson<Passkey>(`/api/me/passkeys/${encodeURIComponent(passkey.id)}`, {
        name: trimmed,
      });
      setMode('view');
      onRenamed(saved);
      requestAnimationFrame(() => renameButton.current?.focus());
    } catch (error) {
      onFailed(error);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      await deleteJson(`/api/me/passkeys/${encodeURIComponent(passkey.id)}`);
      onRemoved(passkey);
    } catch (error) {
      onFailed(error);
      setBusy(false);
    }
  };

  return (
    <li className={classes.passkeyItem} data-testid="passkey">
      <Text fw={700} size="lg" className={classes.passkeyName} id={`${id}-name`}>
        {passkey.name}
      </Text>
      <Text size="sm" className={classes.description}>
        {t('passkeys.addedOn', { date: formatDate(passkey.createdAt, locale) })}
        {' · '}
        {passkey.lastUsedAt
          ? t('passkeys.lastUsed', { date: formatDate(passkey.lastUsedAt, locale) })
          : t('passkeys.neverUsed')}
      </Text>

      {mode === 'view' && (
        <Group gap="xs" mt="sm">
          <Button
            ref={renameButton}
            variant="default"
            className={classes.touch}
            onClick={() => setMode('rename')}
            aria-label={t('passkeys.renameNamed', { name: passkey.name })}
          >
            {t('passkeys.rename')}
          </Button>
          <Button
            variant="subtle"
            color="red"
            c="red.9"
            className={classes.touch}
            onClick={() => setMode('remove')}
            aria-label={t('passkeys.removeNamed', { name: passkey.name })}
          >
            {t('passkeys.remove')}
          </Button>
        </Group>
      )}

      {mode === 'rename' && (
        <form onSubmit={(event) => void rename(event)} noValidate className={classes.form}>
          <Stack gap="sm" mt="sm">
            <NameField field={name} label={t('passkeys.newName')} size="md" />
            <Group gap="xs">
              <Button type="submit" loading={busy} className={classes.touch}>
                {t('passkeys.save')}
              </Button>
              <Button variant="default" onClick={back} disabled={busy} className={classes.touch}>
                {t('passkeys.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}

      {mode === 'remove' && (
        <Stack gap="sm" mt="sm">
          <Text fw={600} id={`${id}-confirm`}>
            {t('passkeys.removeConfirm', { name: passkey.name })}
          </Text>
          <Group gap="xs">
            <Button
              ref={confirmButton}
              color="red.9"
              loading={busy}
              className={classes.touch}
              onClick={() => void remove()}
              aria-describedby={`${id}-confirm`}
            >
              {t('passkeys.removeYes')}
            </Button>
            <Button variant="default" onClick={back} disabled={busy} className={classes.touch}>
              {t('passkeys.cancel')}
            </Button>
          </Group>
        </Stack>
      )}
    </li>
  );
}

interface AddProps {
  onAdded: (passkey: Passkey) => void;
  onStarted: () => void;
  onFailed: (error: unknown) => void;
}

function AddPasskeyForm({ onAdded, onStarted, onFailed }: AddProps) {
  const { t } = useTranslation();
  const name = useNameField('');
  const [busy, setBusy] = useState(false);
  const supported = canUsePasskeys();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = name.take();
    if (!trimmed) return;
    onStarted();
    setBusy(true);
    try {
      onAdded(await createPasskey(trimmed));
      name.onValue('');
    } catch (error) {
      onFailed(error);
    } finally {
      setBusy(false);
    }
  };

  if (!supported) {
    return (
      <Alert color="notice" variant="light" icon={<AlertIcon />} data-testid="passkeys-unsupported">
        <Text className={classes.alertText}>{t('passkeys.errors.unsupported')}</Text>
      </Alert>
    );
  }

  return (
    <form
      onSubmit={(event) => void submit(event)}
      noValidate
      className={classes.addPasskey}
      aria-labelledby="add-passkey-title"
    >
      <Stack gap="sm">
        <Title order={3} size="h4" id="add-passkey-title">
          {t('passkeys.addTitle')}
        </Title>
        <NameField
          field={name}
          label={t('passkeys.nameLabel')}
          description={t('passkeys.nameHint')}
          size="lg"
        />
        <Button
          type="submit"
          size="lg"
          fullWidth
          loading={busy}
          leftSection={<KeyIcon size={20} />}
          className={classes.touch}
        >
          {t('passkeys.add')}
        </Button>
        {busy && (
          <Text size="sm" role="status" className={classes.description}>
            {t('passkeys.followSteps')}
          </Text>
        )}
      </Stack>
    </form>
  );
}

/** A name being typed: its text, whether it was refused, and its input (to focus). */
function useNameField(initial: string) {
  const [value, setValue] = useState(initial);
  const [invalid, setInvalid] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  return {
    value,
    invalid,
    inputRef,
    onValue(next: string) {
      setValue(next);
      setInvalid(false);
    },
    /** The trimmed name; null (the field then says so and takes the focus) when empty. */
    take(): string | null {
      const trimmed = value.trim();
      if (trimmed) return trimmed;
      setInvalid(true);
      inputRef.current?.focus();
      return null;
    },
  };
}

interface NameFieldProps {
  field: ReturnType<typeof useNameField>;
  label: string;
  description?: string;
  size: 'md' | 'lg';
}

/** A passkey's name: required, at most MAX_NAME characters, with the same plain error. */
function NameField({ field, ...props }: NameFieldProps) {
  const { t } = useTranslation();
  return (
    <TextInput
      {...props}
      ref={field.inputRef}
      value={field.value}
      maxLength={MAX_NAME}
      required
      autoComplete="off"
      onChange={(event) => field.onValue(event.currentTarget.value)}
      error={field.invalid ? t('passkeys.nameRequired') : undefined}
      classNames={{ description: classes.description }}
    />
  );
}
