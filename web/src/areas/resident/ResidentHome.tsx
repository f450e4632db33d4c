import { Alert, Button, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { useWallet } from '../../api/endpoints';
import { useSession } from '../../api/session';
import type { Me, Wallet } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { AlertIcon } from '../../components/icons';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatCount, formatDate, formatEuroCents, pluralForm } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { EarnSuggestions } from './earn/EarnSuggestions';
import { HouseholdCard } from './HouseholdCard';
import classes from './resident.module.css';
import { SignedInOnly } from './SignedInOnly';
import { SpendCard } from './spend/SpendCard';

/** `/resident`: the signed-in resident's points and member code, or the landing with "Sign in". */
export function ResidentHome() {
  const { t } = useTranslation();
  return (
    <SignedInOnly loadingLabel={t('resident.loading')}>
      {(me) => <SignedInHome me={me} />}
    </SignedInOnly>
  );
}

function SignedInHome({ me }: { me: Me }) {
  const { t } = useTranslation();
  const wallet = useWallet();
  useDocumentTitle(t('resident.title'));
  return (
    <Stack gap="lg" data-testid="resident-home">
      <Title order={1}>{t('resident.title')}</Title>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" verticalSpacing="lg">
        <Stack gap="lg">
          {wallet.status === 'loading' && <LoadingState label={t('resident.loading')} />}
          {wallet.status === 'error' && <ErrorState error={wallet.error} onRetry={wallet.retry} />}
          {wallet.status === 'ready' && <Balance wallet={wallet.data} />}
          <SpendCard />
          <EarnSuggestions municipalityId={me.municipalityId} />
        </Stack>
        <Stack gap="lg">
          <MemberCode code={me.memberCode} />
          <HouseholdCard />
          <Account me={me} />
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

function Balance({ wallet }: { wallet: Wallet }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (
    <section className={classes.balance} aria-labelledby="balance-label">
      <Text id="balance-label" className={classes.balanceLabel}>
        {t('resident.balanceLabel')}
      </Text>
      <p className={classes.balanceLine}>
        <span className={classes.balanceValue} data-testid="points">
          {formatCount(wallet.points, locale)}
        </span>{' '}
        <span className={classes.balanceUnit}>
          {t(`resident.pointsUnit.${pluralForm(wallet.points, locale)}`)}
        </span>
      </p>
      <Text size="lg" fw={600} data-testid="points-worth">
        {t('resident.worth', {
          amount: formatEuroCents(wallet.points * wallet.pointValueCents, locale),
        })}
      </Text>
      {wallet.held > 0 && (
        <Text mt="xs">{t('resident.held', { points: formatCount(wallet.held, locale) })}</Text>
      )}
      <div className={classes.expiring}>
        <Title order={2} size="h5" c="inherit">
          {t('resident.expiringTitle')}
        </Title>
        {wallet.expiring.length === 0 ? (
          <Text>{t('resident.noneExpiring')}</Text>
        ) : (
          <ul className={classes.expiringList}>
            {wallet.expiring.map((batch) => (
              <li key={batch.expiresAt}>
                {t(`resident.expires.${pluralForm(batch.points, locale)}`, {
                  points: formatCount(batch.points, locale),
                  date: formatDate(batch.expiresAt, locale),
                })}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function MemberCode({ code }: { code: string }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="code-title">
      <Title order={2} size="h4" id="code-title">
        {t('resident.memberCodeTitle')}
      </Title>
      <p className={classes.memberCode} data-testid="member-code">
        {code}
      </p>
      <Text c="dimmed">{t('resident.memberCodeHint')}</Text>
    </Paper>
  );
}

function Account({ me }: { me: Me }) {
  const { t } = useTranslation();
  const session = useSession();
  const [busy, setBusy] = useState<'one' | 'all' | null>(null);
  const [failed, setFailed] = useState<ApiError | null>(null);

  const signOut = async (everywhere: boolean) => {
    setBusy(everywhere ? 'all' : 'one');
    setFailed(null);
    try {
      await session.signOut(everywhere);
    } catch (error) {
      setFailed(error instanceof ApiError ? error : new ApiError('network', null, null));
      setBusy(null);
    }
  };

  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="account-title">
      <Title order={2} size="h4" id="account-title">
        {t('resident.accountTitle')}
      </Title>
      <Text mt="xs" className={classes.email}>
        {t('resident.signedInAs', { email: me.email ?? me.memberCode })}
      </Text>
      <Button
        component={Link}
        to="/resident/profile"
        variant="light"
        size="md"
        fullWidth
        mt="md"
        className={classes.touch}
        data-testid="profile-link"
      >
        {t('resident.profileLink')}
      </Button>
      <Button
        component={Link}
        to="/resident/alerts"
        variant="light"
        size="md"
        fullWidth
        mt="sm"
        className={classes.touch}
        data-testid="alerts-link"
      >
        {t('alerts.link')}
      </Button>
      {failed && (
        <Alert role="alert" color="red" variant="light" icon={<AlertIcon />} mt="md">
          {t('resident.signOutFailed')}
        </Alert>
      )}
      <Stack gap="xs" mt="md">
        <Button
          variant="default"
          size="md"
          fullWidth
          className={classes.touch}
          loading={busy === 'one'}
          disabled={busy === 'all'}
          onClick={() => void signOut(false)}
        >
          {t('resident.signOut')}
        </Button>
        <Button
          variant="subtle"
          color="red"
          c="red.9"
          size="md"
          fullWidth
          className={classes.touch}
          loading={busy === 'all'}
          disabled={busy === 'one'}
          onClick={() => void signOut(true)}
          aria-describedby="everywhere-hint"
        >
          {t('resident.signOutEverywhere')}
        </Button>
      </Stack>
      <Text size="sm" c="dimmed" mt="xs" id="everywhere-hint">
        {t('resident.signOutEverywhereHint')}
      </Text>
    </Paper>
  );
}
