import { Alert, Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError, postJson } from '../../api/client';
import { useSession } from '../../api/session';
import type { Household } from '../../api/types';
import { useApiResource } from '../../api/useApiResource';
import { ErrorState } from '../../components/ErrorState';
import { AlertIcon } from '../../components/icons';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatDate } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { AreaLanding } from '../AreaLanding';
import { ResidentSignInCall } from './ResidentSignInCall';
import classes from './resident.module.css';

type Choice = 'create' | 'join' | 'letter';

// Long labels (French, German) wrap on a phone instead of being cut off.
const WRAPPING = { styles: { label: { whiteSpace: 'normal' } }, h: 'auto', py: 'sm' } as const;

/** The API errors this page explains, each with what to do next. */
const KNOWN_ERRORS = [
  'household_not_found',
  'already_in_household',
  'verification_code_invalid',
  'verification_code_used',
  'household_already_verified',
  'too_many_failures',
  'invalid_input',
  'network',
] as const;
type KnownError = (typeof KNOWN_ERRORS)[number] | 'server';

function errorOf(error: unknown): KnownError {
  if (!(error instanceof ApiError) || error.kind === 'network') return 'network';
  if (error.code === 'validation_failed') return 'invalid_input';
  const code = error.code as KnownError | null;
  return code && (KNOWN_ERRORS as readonly string[]).includes(code) ? code : 'server';
}

/**
 * `/resident/household`: the resident's household — create one at an address, join one with
 * its invite code, or prove the address with the code from a municipal letter. Right after
 * sign-up (`?welcome=1`) it is the household step, which can be skipped.
 */
export function HouseholdPage() {
  const { t } = useTranslation();
  const session = useSession();
  const { state } = session;
  if (state.status === 'loading') return <LoadingState label={t('household.loading')} />;
  if (state.status === 'error') {
    return <ErrorState error={state.error} onRetry={() => void session.refresh()} />;
  }
  if (state.status === 'signedOut' || state.status === 'worker') {
    return (
      <AreaLanding area="resident" comingSoon={false}>
        <ResidentSignInCall />
      </AreaLanding>
    );
  }
  return <SignedInHousehold />;
}

function SignedInHousehold() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const welcome = params.get('welcome') === '1';
  const loaded = useApiResource<{ household: Household | null }>('/api/me/household', {
    cache: false,
  });
  const [changed, setChanged] = useState<{ household: Household | null } | null>(null);
  useDocumentTitle(welcome ? t('household.welcomeTitle') : t('household.title'));

  const current = changed ?? (loaded.status === 'ready' ? loaded.data : null);
  return (
    <Stack gap="lg" maw={640} data-testid="household-page">
      <div>
        <Title order={1}>{welcome ? t('household.welcomeTitle') : t('household.title')}</Title>
        <Text size="lg" mt="xs" className={classes.lead}>
          {welcome ? t('household.welcomeIntro') : t('household.intro')}
        </Text>
      </div>
      {loaded.status === 'loading' && !changed && <LoadingState label={t('household.loading')} />}
      {loaded.status === 'error' && !changed && (
        <ErrorState error={loaded.error} onRetry={loaded.retry} />
      )}
      {current &&
        (current.household ? (
          <MyHousehold
            household={current.household}
            welcome={welcome}
            onChange={(household) => setChanged({ household })}
          />
        ) : (
          <NoHousehold welcome={welcome} onDone={(household) => setChanged({ household })} />
        ))}
    </Stack>
  );
}

function NoHousehold({
  welcome,
  onDone,
}: {
  welcome: boolean;
  onDone: (household: Household) => void;
}) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<Choice | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (choice) heading.current?.focus();
  }, [choice]);

  if (!choice) {
    return (
      <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="choose-title">
        <Title order={2} size="h4" id="choose-title" mb="md">
          {t('household.chooseTitle')}
        </Title>
        <Stack gap="sm">
          {(['create', 'join', 'letter'] as const).map((option) => (
            <Button
              key={option}
              size="lg"
              variant={option === 'create' ? 'filled' : 'light'}
              fullWidth
              className={classes.touch}
              onClick={() => setChoice(option)}
              {...WRAPPING}
              styles={{ label: { whiteSpace: 'normal' }, inner: { justifyContent: 'flex-start' } }}
            >
              {t(`household.choice.${option}`)}
            </Button>
          ))}
          <Button
            component={Link}
            to="/resident"
            variant="subtle"
            size="md"
            fullWidth
            className={classes.touch}
          >
            {welcome ? t('household.skip') : t('household.backHome')}
          </Button>
        </Stack>
      </Paper>
    );
  }

  const forms: Record<Choice, { path: string; field: 'address' | 'inviteCode' | 'code' }> = {
    create: { path: '/api/me/household', field: 'address' },
    join: { path: '/api/me/household/join', field: 'inviteCode' },
    letter: { path: '/api/me/household/verify', field: 'code' },
  };
  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="form-title">
      <Title order={2} size="h4" id="form-title" ref={heading} tabIndex={-1} mb="xs">
        {t(`household.choice.${choice}`)}
      </Title>
      <CodeForm
        key={choice}
        {...forms[choice]}
        label={t(`household.label.${choice}`)}
        hint={t(`household.hint.${choice}`)}
        submit={t(`household.submit.${choice}`)}
        onDone={onDone}
      />
      <Button
        variant="subtle"
        size="md"
        mt="sm"
        fullWidth
        className={classes.touch}
        onClick={() => setChoice(null)}
      >
        {t('household.otherChoice')}
      </Button>
    </Paper>
  );
}

/** One field and a button: the address, an invite code or a letter's code. */
function CodeForm({
  path,
  field,
  label,
  hint,
  submit,
  onDone,
}: {
  path: string;
  field: 'address' | 'inviteCode' | 'code';
  label: string;
  hint: string;
  submit: string;
  onDone: (household: Household) => void;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KnownError | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!value.trim()) {
      setError('invalid_input');
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone(await postJson<Household>(path, { [field]: value.trim() }));
    } catch (failure) {
      setError(errorOf(failure));
      setBusy(false);
      input.current?.focus();
    }
  };

  const fieldError =
    error === 'invalid_input' ||
    error === 'household_not_found' ||
    error === 'verification_code_invalid';
  const message = error && t(`household.errors.${error}`);
  return (
    <form onSubmit={(event) => void onSubmit(event)} noValidate className={classes.form}>
      <Stack gap="md">
        {error && !fieldError && (
          <Alert role="alert" color="red" variant="light" icon={<AlertIcon />}>
            {message}
          </Alert>
        )}
        <TextInput
          ref={input}
          label={label}
          description={hint}
          size="lg"
          name={field}
          autoComplete={field === 'address' ? 'street-address' : 'off'}
          autoCapitalize={field === 'address' ? 'sentences' : 'characters'}
          spellCheck={false}
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          error={fieldError ? message : undefined}
          classNames={{ description: classes.description }}
        />
        <Button type="submit" size="lg" fullWidth loading={busy} className={classes.touch}>
          {submit}
        </Button>
      </Stack>
    </form>
  );
}

function MyHousehold({
  household,
  welcome,
  onChange,
}: {
  household: Household;
  welcome: boolean;
  onChange: (household: Household | null) => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [proving, setProving] = useState(false);
  const [leaving, setLeaving] = useState<'ask' | 'busy' | null>(null);
  const [failed, setFailed] = useState(false);

  const leave = async () => {
    setLeaving('busy');
    setFailed(false);
    try {
      await postJson('/api/me/household/leave');
      onChange(null);
    } catch {
      setFailed(true);
      setLeaving('ask');
    }
  };

  return (
    <Stack gap="lg">
      <Paper
        withBorder
        radius="lg"
        p="lg"
        component="section"
        aria-labelledby="mine-title"
        data-testid="my-household"
      >
        <Group justify="space-between" align="flex-start" gap="xs">
          <Title order={2} size="h4" id="mine-title">
            {t('household.mineTitle')}
          </Title>
          <Badge
            size="lg"
            variant="outline"
            color={household.verified ? 'civic.8' : 'gray.8'}
            data-testid="household-verified"
          >
            {household.verified ? t('household.verified') : t('household.notVerified')}
          </Badge>
        </Group>
        <Text size="lg" mt="xs" data-testid="household-address">
          {household.address}
        </Text>
        <Text c="dimmed" mt={4}>
          {t(`household.members.${household.members === 1 ? 'one' : 'other'}`, {
            count: household.members,
          })}
          {household.verifiedAt &&
            ` · ${t('household.verifiedOn', { date: formatDate(household.verifiedAt, locale) })}`}
        </Text>
        <Title order={3} size="h5" mt="lg">
          {t('household.inviteTitle')}
        </Title>
        <p className={classes.memberCode} data-testid="invite-code">
          {household.inviteCode}
        </p>
        <Text c="dimmed">{t('household.inviteHint')}</Text>
      </Paper>

      {!household.verified && (
        <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="prove-title">
          <Title order={2} size="h4" id="prove-title">
            {t('household.proveTitle')}
          </Title>
          <Text mt="xs">{t('household.proveText')}</Text>
          {proving ? (
            <div>
              <CodeForm
                path="/api/me/household/verify"
                field="code"
                label={t('household.label.letter')}
                hint={t('household.hint.letter')}
                submit={t('household.submit.letter')}
                onDone={(next) => onChange(next)}
              />
            </div>
          ) : (
            <Button
              mt="md"
              size="md"
              variant="light"
              fullWidth
              className={classes.touch}
              {...WRAPPING}
              onClick={() => setProving(true)}
            >
              {t('household.choice.letter')}
            </Button>
          )}
        </Paper>
      )}

      {welcome && (
        <Button component={Link} to="/resident" size="lg" fullWidth className={classes.touch}>
          {t('household.continue')}
        </Button>
      )}

      <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="leave-title">
        <Title order={2} size="h4" id="leave-title">
          {t('household.leaveTitle')}
        </Title>
        <Text mt="xs">{t('household.leaveText')}</Text>
        {failed && (
          <Alert role="alert" color="red" variant="light" icon={<AlertIcon />} mt="md">
            {t('household.errors.network')}
          </Alert>
        )}
        {leaving === null ? (
          <Button
            mt="md"
            variant="default"
            size="md"
            fullWidth
            className={classes.touch}
            onClick={() => setLeaving('ask')}
          >
            {t('household.leave')}
          </Button>
        ) : (
          <Stack gap="xs" mt="md">
            <Text fw={600}>{t('household.leaveConfirm')}</Text>
            <Button
              color="red.9"
              size="md"
              fullWidth
              className={classes.touch}
              loading={leaving === 'busy'}
              onClick={() => void leave()}
            >
              {t('household.leaveYes')}
            </Button>
            <Button
              variant="subtle"
              size="md"
              fullWidth
              className={classes.touch}
              disabled={leaving === 'busy'}
              onClick={() => setLeaving(null)}
            >
              {t('household.leaveNo')}
            </Button>
          </Stack>
        )}
      </Paper>
    </Stack>
  );
}
