import {
  Alert,
  Button,
  Loader,
  NativeSelect,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, setCsrfToken } from '../../api/client';
import {
  findByMemberCode,
  type Household,
  memberCardUrl,
  type ResidentSummary,
  registerAtDesk,
  residentWallet,
  staffMe,
} from '../../api/profile';
import type { Wallet } from '../../api/types';
import { AlertIcon } from '../../components/icons';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatCount } from '../../i18n/format';
import { isLocale, LOCALE_ENDONYMS, LOCALES, type Locale } from '../../i18n/locales';
import { useLocale } from '../../i18n/useLocale';

type Staff =
  | { status: 'loading' }
  | { status: 'signedOut' }
  | { status: 'noMunicipality' }
  | { status: 'error' }
  | { status: 'ready'; slug: string; name: string };

/**
 * `/staff/desk`: staff at the municipal desk register a resident (no email needed) and print
 * their member card, and look a resident up by member code to see their points.
 */
export function DeskPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('desk.title'));
  const [staff, setStaff] = useState<Staff>({ status: 'loading' });

  useEffect(() => {
    let active = true;
    staffMe().then(
      (me) => {
        if (!active) return;
        setCsrfToken(me.csrfToken);
        setStaff(
          me.municipalitySlug
            ? { status: 'ready', slug: me.municipalitySlug, name: me.user.displayName }
            : { status: 'noMunicipality' },
        );
      },
      (error: unknown) => {
        if (!active) return;
        const status = error instanceof ApiError ? error.status : null;
        setStaff({ status: status === 401 || status === 403 ? 'signedOut' : 'error' });
      },
    );
    return () => {
      active = false;
    };
  }, []);

  return (
    <Stack gap="lg">
      <Title order={1}>{t('desk.title')}</Title>
      {staff.status === 'loading' && <Loader aria-label={t('desk.loading')} />}
      {staff.status === 'signedOut' && (
        <Alert color="yellow" variant="light" icon={<AlertIcon />} data-testid="desk-sign-in">
          <Text fw={700}>{t('desk.signInTitle')}</Text>
          <Text>{t('desk.signInText')}</Text>
        </Alert>
      )}
      {staff.status === 'noMunicipality' && (
        <Alert color="yellow" variant="light" icon={<AlertIcon />}>
          {t('desk.noMunicipality')}
        </Alert>
      )}
      {staff.status === 'error' && <Failed />}
      {staff.status === 'ready' && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <Register slug={staff.slug} />
          <Lookup slug={staff.slug} />
        </SimpleGrid>
      )}
    </Stack>
  );
}

function Card({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby={id}>
      <Title order={2} size="h3" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Failed({ text }: { text?: string }) {
  const { t } = useTranslation();
  return (
    <Alert role="alert" color="red" variant="light" icon={<AlertIcon />}>
      {text ?? t('desk.failed')}
    </Alert>
  );
}

function PrintCard({ href }: { href: string }) {
  const { t } = useTranslation();
  return (
    <Button component="a" href={href} target="_blank" rel="noopener" size="md">
      {t('desk.printCard')}
    </Button>
  );
}

type HouseholdChoice = 'none' | 'address' | 'code';

function Register({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const { locale: uiLocale } = useLocale();
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [locale, setLocale] = useState<Locale>(uiLocale);
  const [choice, setChoice] = useState<HouseholdChoice>('none');
  const [address, setAddress] = useState('');
  const [inviteCode, setInviteCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{
    resident: ResidentSummary;
    household: Household | null;
  } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await registerAtDesk(slug, {
        displayName,
        locale,
        ...(email.trim() && { email: email.trim() }),
        ...(choice === 'address' && { address }),
        ...(choice === 'code' && { inviteCode }),
      });
      setDone(result);
      setDisplayName('');
      setEmail('');
      setAddress('');
      setInviteCode('');
    } catch (failure) {
      const code = failure instanceof ApiError ? failure.code : null;
      setError(
        code === 'resident_exists'
          ? t('desk.register.exists')
          : code === 'household_not_found'
            ? t('desk.register.noHousehold')
            : code === 'invalid_input'
              ? t('desk.register.invalid')
              : t('desk.failed'),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card id="desk-register" title={t('desk.register.title')}>
      <form onSubmit={(event) => void submit(event)}>
        <Stack gap="sm">
          <TextInput
            label={t('desk.register.name')}
            value={displayName}
            onChange={(event) => setDisplayName(event.currentTarget.value)}
            required
            maxLength={100}
            autoComplete="off"
          />
          <TextInput
            label={t('desk.register.email')}
            description={t('desk.register.emailHint')}
            type="email"
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            autoComplete="off"
          />
          <NativeSelect
            label={t('desk.register.language')}
            value={locale}
            onChange={(event) => {
              const next = event.currentTarget.value;
              if (isLocale(next)) setLocale(next);
            }}
          >
            {LOCALES.map((code) => (
              <option key={code} value={code} lang={code}>
                {LOCALE_ENDONYMS[code]}
              </option>
            ))}
          </NativeSelect>
          <Text size="sm" fw={500} id="desk-household-label">
            {t('desk.register.household')}
          </Text>
          <SegmentedControl
            aria-labelledby="desk-household-label"
            value={choice}
            onChange={(value) => setChoice(value as HouseholdChoice)}
            data={[
              { value: 'none', label: t('desk.register.householdNone') },
              { value: 'address', label: t('desk.register.householdNew') },
              { value: 'code', label: t('desk.register.householdJoin') },
            ]}
          />
          {choice === 'address' && (
            <TextInput
              label={t('desk.register.address')}
              value={address}
              onChange={(event) => setAddress(event.currentTarget.value)}
              required
              autoComplete="off"
            />
          )}
          {choice === 'code' && (
            <TextInput
              label={t('desk.register.inviteCode')}
              value={inviteCode}
              onChange={(event) => setInviteCode(event.currentTarget.value)}
              required
              autoComplete="off"
            />
          )}
          {error && <Failed text={error} />}
          <Button type="submit" loading={busy} size="md">
            {t('desk.register.submit')}
          </Button>
        </Stack>
      </form>
      <div role="status" aria-live="polite">
        {done && (
          <Alert color="civic" variant="light" mt="md" data-testid="desk-registered">
            <Stack gap="xs">
              <Text fw={700}>
                {t('desk.register.done', { name: done.resident.displayName ?? '' })}
              </Text>
              <Text ff="monospace" fz="xl" fw={700} data-testid="desk-member-code">
                {done.resident.memberCode}
              </Text>
              {done.household && (
                <Text>{t('desk.register.doneHousehold', { code: done.household.inviteCode })}</Text>
              )}
              <PrintCard href={memberCardUrl(slug, done.resident.id)} />
            </Stack>
          </Alert>
        )}
      </div>
    </Card>
  );
}

function Lookup({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<
    | { status: 'none' }
    | { status: 'notFound' }
    | { status: 'failed'; text: string }
    | { status: 'found'; resident: ResidentSummary; wallet: Wallet }
  >({ status: 'none' });

  const search = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const { items } = await findByMemberCode(slug, code);
      const found = items[0];
      if (!found) setResult({ status: 'notFound' });
      else setResult({ status: 'found', ...(await residentWallet(slug, found.id)) });
    } catch (failure) {
      const invalid = failure instanceof ApiError && failure.code === 'invalid_input';
      setResult({ status: 'failed', text: invalid ? t('desk.lookup.invalid') : t('desk.failed') });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card id="desk-lookup" title={t('desk.lookup.title')}>
      <form onSubmit={(event) => void search(event)}>
        <Stack gap="sm">
          <TextInput
            label={t('desk.lookup.code')}
            description={t('desk.lookup.codeHint')}
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
            required
            autoComplete="off"
          />
          <Button type="submit" loading={busy} size="md">
            {t('desk.lookup.submit')}
          </Button>
        </Stack>
      </form>
      <div role="status" aria-live="polite">
        {result.status === 'notFound' && <Text mt="md">{t('desk.lookup.notFound')}</Text>}
        {result.status === 'failed' && <Failed text={result.text} />}
        {result.status === 'found' && (
          <Stack gap="xs" mt="md" data-testid="desk-found">
            <Table>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th scope="row">{t('desk.lookup.name')}</Table.Th>
                  <Table.Td>{result.resident.displayName ?? '—'}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('desk.lookup.memberCode')}</Table.Th>
                  <Table.Td ff="monospace">{result.resident.memberCode}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('desk.lookup.points')}</Table.Th>
                  <Table.Td data-testid="desk-points">
                    {formatCount(result.wallet.points, locale)}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">{t('desk.lookup.held')}</Table.Th>
                  <Table.Td>{formatCount(result.wallet.held, locale)}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
            <PrintCard href={memberCardUrl(slug, result.resident.id)} />
          </Stack>
        )}
      </div>
    </Card>
  );
}
