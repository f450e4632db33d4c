import {
  Alert,
  Button,
  Container,
  Divider,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useMunicipalities } from '../../api/endpoints';
import { useSession } from '../../api/session';
import { AlertIcon, KeyIcon, MailIcon } from '../../components/icons';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { intlLocale } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { FailureAlert } from './FailureAlert';
import { canUsePasskeys, type PasskeyError, passkeyErrorOf, signInWithPasskey } from './passkeys';
import classes from './resident.module.css';
import {
  type LinkError,
  linkErrorOf,
  requestLink,
  type SendError,
  sendErrorOf,
  signInOnce,
  tokenFromHash,
} from './signIn';
import { readDraft, saveDraft } from './signInDraft';

type Step = 'form' | 'sending' | 'sent' | 'verifying';

/**
 * `/sign-in`: asks for an emailed link (sign-up and sign-in are one form), and completes the
 * sign-in when opened from that link (`#token=…`, read and then removed from the address bar).
 */
export function SignInPage() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const session = useSession();
  const municipalities = useMunicipalities();
  useDocumentTitle(t('nav.signIn'));

  const [token, setToken] = useState(() => tokenFromHash(window.location.hash));
  const [step, setStep] = useState<Step>(token ? 'verifying' : 'form');
  const [draft, setDraft] = useState(readDraft);
  const [linkError, setLinkError] = useState<LinkError | null>(null);
  const [sendError, setSendError] = useState<SendError | null>(null);
  const [resent, setResent] = useState(false);
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  const [passkeyError, setPasskeyError] = useState<PasskeyError | null>(null);
  const emailInput = useRef<HTMLInputElement>(null);
  const selectInput = useRef<HTMLSelectElement>(null);
  const { refresh } = session;

  // A link pasted into the address bar of this page only changes the fragment.
  useEffect(() => {
    const onHashChange = () => {
      const next = tokenFromHash(window.location.hash);
      if (!next) return;
      setLinkError(null);
      setStep('verifying');
      setToken(next);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  useEffect(() => {
    if (!token) return;
    // The token must not stay in the address bar, the history or a bookmark.
    window.history.replaceState(window.history.state, '', window.location.pathname);
    let active = true;
    signInOnce(token).then(
      async ({ created }) => {
        await refresh();
        // A new resident's next step is their household (which they may skip).
        if (active)
          navigate(created ? '/resident/household?welcome=1' : '/resident', { replace: true });
      },
      (error: unknown) => {
        if (!active) return;
        setLinkError(linkErrorOf(error));
        setStep('form');
      },
    );
    return () => {
      active = false;
    };
  }, [token, refresh, navigate]);

  useEffect(() => {
    if (linkError === 'municipality_required') selectInput.current?.focus();
  }, [linkError]);

  const update = (next: Partial<typeof draft>) => {
    const merged = { ...draft, ...next };
    setDraft(merged);
    saveDraft(merged);
  };

  const send = async (again: boolean) => {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(draft.email.trim())) {
      setSendError('invalid_email');
      setStep('form');
      emailInput.current?.focus();
      return;
    }
    setSendError(null);
    setResent(false);
    if (!again) setStep('sending');
    try {
      await requestLink(draft.email, draft.municipality, locale);
      setLinkError(null);
      setStep('sent');
      setResent(again);
    } catch (error) {
      const reason = sendErrorOf(error);
      setSendError(reason);
      if (!again || reason === 'invalid_email') setStep('form');
      if (reason === 'invalid_email') emailInput.current?.focus();
    }
  };

  const signInByPasskey = async () => {
    setPasskeyError(null);
    setPasskeyBusy(true);
    try {
      await signInWithPasskey();
      await refresh();
      navigate('/resident', { replace: true });
    } catch (error) {
      setPasskeyError(passkeyErrorOf(error));
      setPasskeyBusy(false);
    }
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void send(false);
  };

  const options =
    municipalities.status === 'ready'
      ? [...municipalities.data.items]
          .sort((a, b) => a.names[locale].localeCompare(b.names[locale], intlLocale(locale)))
          .map((m) => ({ value: m.slug, label: m.names[locale] }))
      : [];

  const sendAlert = sendError && sendError !== 'invalid_email' && (
    <Alert
      role="alert"
      color="red"
      variant="light"
      icon={<AlertIcon />}
      title={t('signIn.errorTitle')}
      data-testid="send-error"
    >
      {t(`signIn.errors.${sendError}`)}
    </Alert>
  );

  let body: ReactNode;
  if (step === 'verifying') {
    body = (
      <Stack gap="md">
        <Title order={1}>{t('signIn.title')}</Title>
        <LoadingState label={t('signIn.verifying')} />
      </Stack>
    );
  } else if (step === 'sent') {
    body = (
      <Stack gap="md" align="flex-start" data-testid="link-sent">
        <span className={classes.badgeIcon}>
          <MailIcon size={28} />
        </span>
        <Title order={1}>{t('signIn.sentTitle')}</Title>
        <Text size="lg">{t('signIn.sentDetail', { email: draft.email.trim() })}</Text>
        <Text c="dimmed">{t('signIn.sentSpam')}</Text>
        {sendAlert}
        <div role="status" aria-live="polite" className={classes.status}>
          {resent && <Text fw={600}>{t('signIn.resent')}</Text>}
        </div>
        <Stack gap="sm" w="100%">
          <Button
            size="lg"
            variant="light"
            fullWidth
            className={classes.touch}
            onClick={() => void send(true)}
          >
            {t('signIn.resend')}
          </Button>
          <Button
            variant="subtle"
            fullWidth
            className={classes.touch}
            onClick={() => {
              setResent(false);
              setSendError(null);
              setStep('form');
            }}
          >
            {t('signIn.otherEmail')}
          </Button>
        </Stack>
      </Stack>
    );
  } else if (session.state.status === 'signedIn' && !linkError) {
    body = (
      <Stack gap="md" align="flex-start">
        <Title order={1}>{t('signIn.alreadyTitle')}</Title>
        <Text size="lg">{t('signIn.alreadyDetail', { email: session.state.me.email })}</Text>
        <Button component={Link} to="/resident" size="lg" className={classes.touch}>
          {t('signIn.goToPoints')}
        </Button>
      </Stack>
    );
  } else {
    body = (
      <Stack gap="lg">
        <div>
          <Title order={1}>{t('signIn.title')}</Title>
          <Text size="lg" mt="xs" className={classes.lead}>
            {t('signIn.intro')}
          </Text>
        </div>
        {linkError && (
          <FailureAlert
            color={linkError === 'municipality_required' ? 'notice' : 'red'}
            title={t(`signIn.linkError.${linkError}.title`)}
            testId="link-error"
          >
            {t(`signIn.linkError.${linkError}.detail`)}
          </FailureAlert>
        )}
        {sendAlert}
        <form onSubmit={onSubmit} noValidate className={classes.form}>
          <Stack gap="lg">
            <TextInput
              ref={emailInput}
              label={t('signIn.email')}
              type="email"
              name="email"
              autoComplete="email"
              inputMode="email"
              autoCapitalize="none"
              spellCheck={false}
              size="lg"
              required
              value={draft.email}
              onChange={(event) => update({ email: event.currentTarget.value })}
              error={sendError === 'invalid_email' ? t('signIn.emailInvalid') : undefined}
            />
            <NativeSelect
              ref={selectInput}
              label={t('signIn.municipality')}
              description={t('signIn.municipalityHint')}
              name="municipality"
              size="lg"
              value={draft.municipality}
              onChange={(event) => update({ municipality: event.currentTarget.value })}
              data={[{ value: '', label: t('signIn.municipalityNone') }, ...options]}
              classNames={{ description: classes.description }}
            />
            <Button
              type="submit"
              size="lg"
              fullWidth
              loading={step === 'sending'}
              className={classes.touch}
            >
              {t('signIn.submit')}
            </Button>
          </Stack>
        </form>
        {canUsePasskeys() && (
          <Stack gap="sm">
            <Divider
              label={t('signIn.or')}
              labelPosition="center"
              classNames={{ label: classes.divider }}
            />
            {passkeyError && (
              <FailureAlert title={t('signIn.passkeyErrorTitle')} testId="passkey-error">
                {t(`passkeys.errors.${passkeyError}`)}
              </FailureAlert>
            )}
            <Button
              variant="default"
              size="lg"
              fullWidth
              leftSection={<KeyIcon size={20} />}
              loading={passkeyBusy}
              className={classes.touch}
              onClick={() => void signInByPasskey()}
              aria-describedby="passkey-hint"
            >
              {t('signIn.passkey')}
            </Button>
            <Text size="sm" id="passkey-hint" className={classes.description}>
              {t('signIn.passkeyHint')}
            </Text>
          </Stack>
        )}
      </Stack>
    );
  }

  return (
    <Container size="xs" py={{ base: 'lg', sm: 'xl' }} px={{ base: 'sm', sm: 'md' }}>
      <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} shadow="sm">
        {body}
      </Paper>
    </Container>
  );
}
