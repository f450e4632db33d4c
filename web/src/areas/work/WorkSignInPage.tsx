import {
  Alert,
  Anchor,
  Button,
  Container,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useUserSession } from '../../api/userSession';
import { AlertIcon, MailIcon } from '../../components/icons';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useLocale } from '../../i18n/useLocale';
import classes from '../resident/resident.module.css';
import { type SendError, sendErrorOf, tokenFromHash } from '../resident/signIn';
import { OidcSignInButton } from '../staff/OidcSignInButton';
import {
  homeOf,
  requestUserLink,
  signInUserOnce,
  type WorkLinkError,
  workLinkErrorOf,
} from './workSignIn';

type Step = 'form' | 'sending' | 'sent' | 'verifying';

/**
 * `/work/sign-in`: staff, operator admins and partner users ask for an emailed link here, and
 * the link (a sign-in or an invitation, `#token=…`) completes here; then on to their area.
 */
export function WorkSignInPage() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const session = useUserSession();
  useDocumentTitle(t('workSignIn.title'));

  const [token, setToken] = useState(() => tokenFromHash(window.location.hash));
  const [step, setStep] = useState<Step>(token ? 'verifying' : 'form');
  const [email, setEmail] = useState('');
  const [linkError, setLinkError] = useState<WorkLinkError | null>(null);
  const [sendError, setSendError] = useState<SendError | null>(null);
  const [resent, setResent] = useState(false);
  const emailInput = useRef<HTMLInputElement>(null);
  const { refresh } = session;

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
    signInUserOnce(token).then(
      async (me) => {
        await refresh();
        if (active) navigate(homeOf(me.user), { replace: true });
      },
      (error: unknown) => {
        if (!active) return;
        setLinkError(workLinkErrorOf(error));
        setStep('form');
      },
    );
    return () => {
      active = false;
    };
  }, [token, refresh, navigate]);

  const send = async (again: boolean) => {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setSendError('invalid_email');
      setStep('form');
      emailInput.current?.focus();
      return;
    }
    setSendError(null);
    setResent(false);
    if (!again) setStep('sending');
    try {
      await requestUserLink(email, locale);
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

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void send(false);
  };

  const sendAlert = sendError && sendError !== 'invalid_email' && (
    <Alert
      role="alert"
      color="red"
      variant="light"
      icon={<AlertIcon />}
      title={t('signIn.errorTitle')}
      data-testid="send-error"
    >
      {t(`signIn.errors.${sendError === 'municipality_not_found' ? 'server' : sendError}`)}
    </Alert>
  );

  let body: ReactNode;
  if (step === 'verifying') {
    body = (
      <Stack gap="md">
        <Title order={1}>{t('workSignIn.title')}</Title>
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
        <Text size="lg">{t('workSignIn.sentDetail', { email: email.trim() })}</Text>
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
    const { user } = session.state.me;
    body = (
      <Stack gap="md" align="flex-start">
        <Title order={1}>{t('signIn.alreadyTitle')}</Title>
        <Text size="lg">{t('signIn.alreadyDetail', { email: user.email })}</Text>
        <Button component={Link} to={homeOf(user)} size="lg" className={classes.touch}>
          {user.kind === 'partner' ? t('workSignIn.goToPartner') : t('workSignIn.goToStaff')}
        </Button>
      </Stack>
    );
  } else {
    body = (
      <Stack gap="lg">
        <div>
          <Title order={1}>{t('workSignIn.title')}</Title>
          <Text size="lg" mt="xs" className={classes.lead}>
            {t('workSignIn.intro')}
          </Text>
        </div>
        {linkError && (
          <Alert
            role="alert"
            color="red"
            variant="light"
            icon={<AlertIcon />}
            title={t(`workSignIn.linkError.${linkError}.title`)}
            data-testid="link-error"
            classNames={{ message: classes.alertText, title: classes.alertText }}
          >
            {t(`workSignIn.linkError.${linkError}.detail`)}
          </Alert>
        )}
        {sendAlert}
        <form onSubmit={onSubmit} noValidate className={classes.form}>
          <Stack gap="lg">
            <TextInput
              ref={emailInput}
              label={t('workSignIn.email')}
              type="email"
              name="email"
              autoComplete="email"
              inputMode="email"
              autoCapitalize="none"
              spellCheck={false}
              size="lg"
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              error={sendError === 'invalid_email' ? t('signIn.emailInvalid') : undefined}
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
        <OidcSignInButton />
        <Text>
          {t('workSignIn.residentHint')}{' '}
          <Anchor component={Link} to="/sign-in" fw={600} underline="always">
            {t('workSignIn.residentLink')}
          </Anchor>
        </Text>
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
