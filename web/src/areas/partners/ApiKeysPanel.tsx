import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiResource } from '../../api/useApiResource';
import { ErrorState } from '../../components/ErrorState';
import { KeyIcon } from '../../components/icons';
import { LoadingState } from '../../components/LoadingState';
import { formatDate } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { DataTable } from './DataTable';
import classes from './partners.module.css';
import {
  API_KEY_SCOPES,
  type ApiKey,
  type ApiKeyScope,
  type IssuedKey,
  MUTED_BADGE,
  OK_BADGE,
  send,
} from './partnersApi';
import { ActionError, useAction } from './useAction';

/**
 * A partner's API keys: the list (never a secret), a form to create one with scopes, revoke
 * and rotate per key, and the one-time panel that shows a new key's secret. The same panel
 * serves municipal admins (`/api/municipalities/:slug/partners/:id/api-keys`) and partner
 * admins (`/api/partner/api-keys`): `basePath` says which.
 */
export function ApiKeysPanel({ basePath }: { basePath: string }) {
  const { t } = useTranslation();
  const keys = useApiResource<{ items: ApiKey[] }>(basePath, { cache: false });
  const [fresh, setFresh] = useState<IssuedKey | null>(null);
  const action = useAction();

  const issued = (answer: IssuedKey) => {
    setFresh(answer);
    keys.retry();
  };

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="api-keys-title">
      <Title order={2} size="h3" id="api-keys-title">
        {t('partners.keys.title')}
      </Title>
      <Text c="dimmed" mb="md">
        {t('partners.keys.intro')}
      </Text>
      {fresh && <NewSecret issued={fresh} onDone={() => setFresh(null)} />}
      <ActionError error={action.error} />
      {keys.status === 'loading' && <LoadingState label={t('partners.loading')} />}
      {keys.status === 'error' && <ErrorState error={keys.error} onRetry={keys.retry} />}
      {keys.status === 'ready' && (
        <KeyTable
          keys={keys.data.items}
          busy={action.busy}
          onRevoke={(key) =>
            void action.run(`revoke:${key.id}`, async () => {
              await send('POST', `${basePath}/${encodeURIComponent(key.id)}/revoke`);
              setFresh(null);
              keys.retry();
            })
          }
          onRotate={(key) =>
            void action.run(`rotate:${key.id}`, async () =>
              issued(
                await send<IssuedKey>('POST', `${basePath}/${encodeURIComponent(key.id)}/rotate`),
              ),
            )
          }
        />
      )}
      <CreateKeyForm
        busy={action.busy === 'create'}
        onCreate={(name, scopes) =>
          action.run('create', async () =>
            issued(await send<IssuedKey>('POST', basePath, { name, scopes })),
          )
        }
      />
    </Paper>
  );
}

function NewSecret({ issued, onDone }: { issued: IssuedKey; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      color="notice"
      variant="light"
      radius="md"
      styles={{ title: { color: 'var(--mantine-color-notice-9)' } }}
      icon={<KeyIcon />}
      mb="md"
      title={t('partners.keys.secretTitle')}
      data-testid="new-key-secret"
      aria-live="polite"
    >
      <Stack gap="sm">
        <Text>{t('partners.keys.secretDetail', { name: issued.key.name })}</Text>
        <Code block className={classes.secret} data-testid="new-key-value">
          {issued.secret}
        </Code>
        <Group gap="sm">
          <CopyButton value={issued.secret}>
            {({ copied, copy }) => (
              <Button className={classes.touch} onClick={copy} color={copied ? 'teal' : undefined}>
                {copied ? t('partners.keys.copied') : t('partners.keys.copy')}
              </Button>
            )}
          </CopyButton>
          <Button variant="default" className={classes.touch} onClick={onDone}>
            {t('partners.keys.secretDone')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function KeyTable({
  keys,
  busy,
  onRevoke,
  onRotate,
}: {
  keys: ApiKey[];
  busy: string | null;
  onRevoke: (key: ApiKey) => void;
  onRotate: (key: ApiKey) => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [confirming, setConfirming] = useState<string | null>(null);
  if (keys.length === 0) return <Text my="md">{t('partners.keys.none')}</Text>;
  return (
    <DataTable
      testId="api-keys"
      minWidth={720}
      headers={[
        t('partners.keys.name'),
        t('partners.keys.scopes'),
        t('partners.keys.created'),
        t('partners.keys.lastUsed'),
        t('partners.keys.status'),
        t('partners.actions'),
      ]}
    >
      {keys.map((key) => (
        <Table.Tr key={key.id} data-key-name={key.name}>
          <Table.Td fw={600}>{key.name}</Table.Td>
          <Table.Td>
            <Group gap={4}>
              {key.scopes.map((scope) => (
                <Badge key={scope} variant="light" color="gray" tt="none" styles={MUTED_BADGE}>
                  {t(`partners.scopes.${scopeKey(scope)}.label`)}
                </Badge>
              ))}
            </Group>
          </Table.Td>
          <Table.Td>
            {formatDate(key.createdAt, locale)}
            <Text size="sm" c="dimmed" className={classes.id}>
              {t('partners.keys.createdBy', { id: key.createdBy })}
            </Text>
          </Table.Td>
          <Table.Td>
            {key.lastUsedAt ? formatDate(key.lastUsedAt, locale) : t('partners.keys.never')}
          </Table.Td>
          <Table.Td>
            {key.revokedAt === null ? (
              <Badge color="civic" variant="light" styles={OK_BADGE}>
                {t('partners.keys.active')}
              </Badge>
            ) : (
              <Text size="sm">
                {key.replacedBy
                  ? t('partners.keys.replacedOn', { date: formatDate(key.revokedAt, locale) })
                  : t('partners.keys.revokedOn', { date: formatDate(key.revokedAt, locale) })}
              </Text>
            )}
          </Table.Td>
          <Table.Td>
            {key.revokedAt === null &&
              (confirming === key.id ? (
                <Stack gap={6}>
                  <Text size="sm" fw={600}>
                    {t('partners.keys.revokeConfirm', { name: key.name })}
                  </Text>
                  <Group gap="xs">
                    <Button
                      color="red.9"
                      className={classes.touch}
                      loading={busy === `revoke:${key.id}`}
                      onClick={() => {
                        setConfirming(null);
                        onRevoke(key);
                      }}
                    >
                      {t('partners.keys.revokeYes')}
                    </Button>
                    <Button
                      variant="default"
                      className={classes.touch}
                      onClick={() => setConfirming(null)}
                    >
                      {t('partners.cancel')}
                    </Button>
                  </Group>
                </Stack>
              ) : (
                <Group gap="xs" wrap="nowrap">
                  <Button
                    variant="default"
                    className={classes.touch}
                    loading={busy === `rotate:${key.id}`}
                    onClick={() => onRotate(key)}
                    aria-label={t('partners.keys.rotateLabel', { name: key.name })}
                  >
                    {t('partners.keys.rotate')}
                  </Button>
                  <Button
                    variant="outline"
                    color="red"
                    c="red.9"
                    className={classes.touch}
                    onClick={() => setConfirming(key.id)}
                    aria-label={t('partners.keys.revokeLabel', { name: key.name })}
                  >
                    {t('partners.keys.revoke')}
                  </Button>
                </Group>
              ))}
          </Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}

/** Catalogue keys cannot hold a colon: `claims:confirm` → `claims_confirm`. */
export const scopeKey = (scope: ApiKeyScope) =>
  scope.replace(':', '_') as
    | 'partner_read'
    | 'claims_confirm'
    | 'visits_import'
    | 'vouchers_redeem'
    | 'reports_submit';

function CreateKeyForm({
  busy,
  onCreate,
}: {
  busy: boolean;
  onCreate: (name: string, scopes: ApiKeyScope[]) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['partner:read']);
  const [tried, setTried] = useState(false);
  const nameMissing = name.trim() === '';
  const scopesMissing = scopes.length === 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (nameMissing || scopesMissing) return;
    if (await onCreate(name.trim(), scopes as ApiKeyScope[])) {
      setName('');
      setTried(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className={classes.form}>
      <Title order={3} size="h4" mt="lg" mb="xs">
        {t('partners.keys.createTitle')}
      </Title>
      <Stack gap="sm" maw="36rem">
        <TextInput
          label={t('partners.keys.name')}
          description={t('partners.keys.nameHint')}
          value={name}
          maxLength={80}
          onChange={(e) => setName(e.currentTarget.value)}
          error={tried && nameMissing ? t('partners.keys.nameMissing') : undefined}
          required
          size="md"
        />
        <Checkbox.Group
          label={t('partners.keys.scopes')}
          description={t('partners.keys.scopesHint')}
          value={scopes}
          onChange={setScopes}
          error={tried && scopesMissing ? t('partners.keys.scopesMissing') : undefined}
        >
          <Stack gap="xs" mt="xs">
            {API_KEY_SCOPES.map((scope) => (
              <Checkbox
                key={scope}
                value={scope}
                size="md"
                label={t(`partners.scopes.${scopeKey(scope)}.label`)}
                description={t(`partners.scopes.${scopeKey(scope)}.detail`)}
              />
            ))}
          </Stack>
        </Checkbox.Group>
        <Group>
          <Button type="submit" size="md" className={classes.touch} loading={busy}>
            {t('partners.keys.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
