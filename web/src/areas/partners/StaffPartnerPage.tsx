import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApiResource } from '../../api/useApiResource';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { ApiKeysPanel } from './ApiKeysPanel';
import { DataTable } from './DataTable';
import classes from './partners.module.css';
import {
  MUTED_BADGE,
  OK_BADGE,
  PARTNER_ROLES,
  type PartnerDetail,
  type PartnerKind,
  type PartnerRole,
  send,
  staffPartnerPath,
  type WorkUser,
} from './partnersApi';
import {
  isMunicipalAdmin,
  isMunicipalStaff,
  StatusBadge,
  useKindOptions,
} from './StaffPartnersPage';
import { ActionError, useAction } from './useAction';
import { WorkAccess } from './WorkAccess';

/** `/staff/partners/:partnerId`: one partner, its locations, users and API keys. */
export function StaffPartnerPage() {
  const { partnerId = '' } = useParams();
  return (
    <WorkAccess audience="staff" allowed={isMunicipalStaff}>
      {(me) => (
        <PartnerView
          path={staffPartnerPath(me.municipalitySlug!, partnerId)}
          canManage={isMunicipalAdmin(me)}
        />
      )}
    </WorkAccess>
  );
}

function PartnerView({ path, canManage }: { path: string; canManage: boolean }) {
  const { t } = useTranslation();
  const detail = useApiResource<PartnerDetail>(path, { cache: false });
  useDocumentTitle(detail.status === 'ready' ? detail.data.name : t('partners.list.title'));
  const back = (
    <Anchor component={Link} to="/staff/partners" underline="always">
      {t('partners.detail.back')}
    </Anchor>
  );
  if (detail.status === 'loading') return <LoadingState label={t('partners.loading')} />;
  if (detail.status === 'error') {
    return (
      <Stack>
        {back}
        <ErrorState error={detail.error} onRetry={detail.retry} headingLevel={1} />
      </Stack>
    );
  }
  const partner = detail.data;
  return (
    <Stack gap="lg">
      {back}
      <Group gap="md" align="center">
        <Title order={1}>{partner.name}</Title>
        <StatusBadge status={partner.status} />
      </Group>
      <Text>
        {t(`partners.kinds.${partner.kind}`)}
        {/* Admins see the keys themselves below; the summary is for those who only read. */}
        {!canManage &&
          ` · ${t('partners.detail.keysSummary', {
            active: partner.apiKeys.active,
            revoked: partner.apiKeys.revoked,
          })}`}
      </Text>
      {canManage && <Settings path={path} partner={partner} onSaved={detail.retry} />}
      <Locations
        path={path}
        locations={partner.locations}
        canManage={canManage}
        onChanged={detail.retry}
      />
      {partner.users && <Users path={path} users={partner.users} onChanged={detail.retry} />}
      {canManage && <ApiKeysPanel basePath={`${path}/api-keys`} />}
    </Stack>
  );
}

function Section({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: React.ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby={id}>
      <Title order={2} size="h3" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Settings({
  path,
  partner,
  onSaved,
}: {
  path: string;
  partner: PartnerDetail;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const kinds = useKindOptions();
  const [name, setName] = useState(partner.name);
  const [kind, setKind] = useState<PartnerKind>(partner.kind);
  const [status, setStatus] = useState(partner.status);
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await action.run('save', async () => {
      await send('PATCH', path, { name: name.trim(), kind, status });
      onSaved();
    });
  };

  return (
    <Section id="settings-title" title={t('partners.detail.settings')}>
      <form onSubmit={(e) => void submit(e)} noValidate className={classes.form}>
        <ActionError error={action.error} />
        <Group align="flex-end" gap="md">
          <TextInput
            label={t('partners.fields.name')}
            value={name}
            maxLength={120}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            size="md"
            miw="16rem"
          />
          <NativeSelect
            label={t('partners.fields.kind')}
            data={kinds}
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as PartnerKind)}
            size="md"
          />
          <NativeSelect
            label={t('partners.fields.status')}
            data={[
              { value: 'active', label: t('partners.status.active') },
              { value: 'inactive', label: t('partners.status.inactive') },
            ]}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as 'active' | 'inactive')}
            size="md"
          />
          <Button type="submit" size="md" className={classes.touch} loading={action.busy !== null}>
            {t('partners.save')}
          </Button>
        </Group>
        <Text size="sm" c="dimmed" mt="xs">
          {t('partners.detail.inactiveHint')}
        </Text>
      </form>
    </Section>
  );
}

function Locations({
  path,
  locations,
  canManage,
  onChanged,
}: {
  path: string;
  locations: PartnerDetail['locations'];
  canManage: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const [form, setForm] = useState({ name: '', address: '', latitude: '', longitude: '' });
  const [tried, setTried] = useState(false);
  const latitude = Number(form.latitude);
  const longitude = Number(form.longitude);
  const problems = {
    name: form.name.trim() === '',
    address: form.address.trim() === '',
    latitude: form.latitude.trim() === '' || !(Math.abs(latitude) <= 90),
    longitude: form.longitude.trim() === '' || !(Math.abs(longitude) <= 180),
  };
  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) =>
      setForm({ ...form, [key]: e.currentTarget.value }),
    error: tried && problems[key] ? t(`partners.locations.${key}Invalid`) : undefined,
    size: 'md' as const,
    required: true,
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (Object.values(problems).some(Boolean)) return;
    const done = await action.run('add', () =>
      send('POST', `${path}/locations`, {
        name: form.name.trim(),
        address: form.address.trim(),
        latitude,
        longitude,
      }),
    );
    if (done) {
      setForm({ name: '', address: '', latitude: '', longitude: '' });
      setTried(false);
      onChanged();
    }
  };

  return (
    <Section id="locations-title" title={t('partners.locations.title')}>
      <ActionError error={action.error} />
      {locations.length === 0 ? (
        <Text>{t('partners.locations.none')}</Text>
      ) : (
        <DataTable
          testId="locations"
          minWidth={560}
          headers={[
            t('partners.locations.name'),
            t('partners.locations.address'),
            t('partners.locations.position'),
            ...(canManage ? [t('partners.actions')] : []),
          ]}
        >
          {locations.map((location) => (
            <Table.Tr key={location.id}>
              <Table.Td fw={600}>{location.name}</Table.Td>
              <Table.Td>{location.address}</Table.Td>
              <Table.Td>
                {location.latitude.toFixed(5)}, {location.longitude.toFixed(5)}
              </Table.Td>
              {canManage && (
                <Table.Td>
                  <Button
                    variant="outline"
                    color="red"
                    c="red.9"
                    className={classes.touch}
                    loading={action.busy === location.id}
                    aria-label={t('partners.locations.removeLabel', { name: location.name })}
                    onClick={() =>
                      void action
                        .run(location.id, () =>
                          send('DELETE', `${path}/locations/${encodeURIComponent(location.id)}`),
                        )
                        .then((done) => done && onChanged())
                    }
                  >
                    {t('partners.locations.remove')}
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </DataTable>
      )}
      {canManage && (
        <form onSubmit={(e) => void submit(e)} noValidate className={classes.form}>
          <Title order={3} size="h4" mt="lg" mb="xs">
            {t('partners.locations.addTitle')}
          </Title>
          <Group align="flex-start" gap="md">
            <TextInput label={t('partners.locations.name')} maxLength={120} {...field('name')} />
            <TextInput
              label={t('partners.locations.address')}
              maxLength={300}
              miw="18rem"
              {...field('address')}
            />
            <TextInput
              label={t('partners.locations.latitude')}
              inputMode="decimal"
              {...field('latitude')}
            />
            <TextInput
              label={t('partners.locations.longitude')}
              inputMode="decimal"
              {...field('longitude')}
            />
          </Group>
          <Button
            type="submit"
            size="md"
            mt="md"
            className={classes.touch}
            loading={action.busy === 'add'}
          >
            {t('partners.locations.add')}
          </Button>
        </form>
      )}
    </Section>
  );
}

/** A partner's users: roles per user, switch off or on, resend the invitation; invite one. */
export function Users({
  path,
  users,
  onChanged,
}: {
  path: string;
  users: WorkUser[];
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const change = (name: string, method: 'PATCH' | 'POST', url: string, body?: unknown) =>
    void action.run(name, () => send(method, url, body)).then((done) => done && onChanged());

  return (
    <Section id="users-title" title={t('partners.users.title')}>
      <ActionError error={action.error} />
      {users.length === 0 ? (
        <Text>{t('partners.users.none')}</Text>
      ) : (
        <DataTable
          testId="partner-users"
          minWidth={720}
          headers={[
            t('partners.users.name'),
            t('partners.users.roles'),
            t('partners.users.status'),
            t('partners.actions'),
          ]}
        >
          {users.map((user) => {
            const url = `${path}/users/${encodeURIComponent(user.id)}`;
            return (
              <Table.Tr key={user.id}>
                <Table.Td>
                  <Text fw={600}>{user.displayName}</Text>
                  <Text size="sm" c="dimmed" className={classes.id}>
                    {user.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <RoleEditor
                    user={user}
                    busy={action.busy === `roles:${user.id}`}
                    onSave={(roles) => change(`roles:${user.id}`, 'PATCH', url, { roles })}
                  />
                </Table.Td>
                <Table.Td>
                  <Badge
                    variant="light"
                    color={user.status === 'active' ? 'civic' : 'gray'}
                    styles={user.status === 'active' ? OK_BADGE : MUTED_BADGE}
                  >
                    {t(`partners.users.statuses.${user.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    {user.status === 'invited' && (
                      <Button
                        variant="default"
                        className={classes.touch}
                        loading={action.busy === `resend:${user.id}`}
                        onClick={() =>
                          change(`resend:${user.id}`, 'POST', `${url}/resend-invitation`)
                        }
                      >
                        {t('partners.users.resend')}
                      </Button>
                    )}
                    <Button
                      variant="outline"
                      color={user.status === 'disabled' ? 'green' : 'red'}
                      c={user.status === 'disabled' ? 'green.9' : 'red.9'}
                      className={classes.touch}
                      loading={action.busy === `status:${user.id}`}
                      aria-label={
                        user.status === 'disabled'
                          ? t('partners.users.switchOnLabel', { name: user.displayName })
                          : t('partners.users.switchOffLabel', { name: user.displayName })
                      }
                      onClick={() =>
                        change(`status:${user.id}`, 'PATCH', url, {
                          status: user.status === 'disabled' ? 'active' : 'disabled',
                        })
                      }
                    >
                      {user.status === 'disabled'
                        ? t('partners.users.switchOn')
                        : t('partners.users.switchOff')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </DataTable>
      )}
      <InviteForm path={`${path}/users`} onInvited={onChanged} />
    </Section>
  );
}

function RoleChoices({
  value,
  onChange,
  label,
  error,
}: {
  value: string[];
  onChange: (roles: string[]) => void;
  label: string;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Checkbox.Group label={label} value={value} onChange={onChange} error={error}>
      <Group gap="md" mt={4}>
        {PARTNER_ROLES.map((role) => (
          <Checkbox key={role} value={role} label={t(`partners.roles.${role}`)} size="md" />
        ))}
      </Group>
    </Checkbox.Group>
  );
}

function RoleEditor({
  user,
  busy,
  onSave,
}: {
  user: WorkUser;
  busy: boolean;
  onSave: (roles: PartnerRole[]) => void;
}) {
  const { t } = useTranslation();
  const [roles, setRoles] = useState(user.roles);
  const changed = [...roles].sort().join() !== [...user.roles].sort().join();
  return (
    <Stack gap={6}>
      <RoleChoices
        label={t('partners.users.rolesOf', { name: user.displayName })}
        value={roles}
        onChange={setRoles}
      />
      {changed && roles.length > 0 && (
        <Button
          size="sm"
          className={classes.touch}
          loading={busy}
          onClick={() => onSave(roles as PartnerRole[])}
          w="fit-content"
        >
          {t('partners.users.saveRoles')}
        </Button>
      )}
    </Stack>
  );
}

function InviteForm({ path, onInvited }: { path: string; onInvited: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<string[]>(['cashier']);
  const [tried, setTried] = useState(false);
  const problems = {
    email: !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()),
    displayName: displayName.trim() === '',
    roles: roles.length === 0,
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (Object.values(problems).some(Boolean)) return;
    const done = await action.run('invite', () =>
      send('POST', path, { email: email.trim(), displayName: displayName.trim(), roles }),
    );
    if (done) {
      setEmail('');
      setDisplayName('');
      setTried(false);
      onInvited();
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className={classes.form}>
      <Title order={3} size="h4" mt="lg" mb="xs">
        {t('partners.users.inviteTitle')}
      </Title>
      <ActionError error={action.error} />
      <Stack gap="sm" maw="36rem">
        <TextInput
          label={t('partners.users.email')}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={tried && problems.email ? t('partners.users.emailInvalid') : undefined}
          required
          size="md"
        />
        <TextInput
          label={t('partners.users.name')}
          value={displayName}
          maxLength={120}
          onChange={(e) => setDisplayName(e.currentTarget.value)}
          error={tried && problems.displayName ? t('partners.users.nameMissing') : undefined}
          required
          size="md"
        />
        <RoleChoices
          label={t('partners.users.roles')}
          value={roles}
          onChange={setRoles}
          error={tried && problems.roles ? t('partners.users.rolesMissing') : undefined}
        />
        <Text size="sm" c="dimmed">
          {t('partners.users.inviteHint')}
        </Text>
        <Group>
          <Button type="submit" size="md" className={classes.touch} loading={action.busy !== null}>
            {t('partners.users.invite')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
