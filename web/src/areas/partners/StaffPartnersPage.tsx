import {
  Anchor,
  Badge,
  Button,
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
import { Link, useNavigate } from 'react-router';
import { useApiResource } from '../../api/useApiResource';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatDate } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { DataTable } from './DataTable';
import classes from './partners.module.css';
import {
  MUTED_BADGE,
  type MyUser,
  OK_BADGE,
  PARTNER_KINDS,
  type Partner,
  type PartnerKind,
  send,
  staffPartnersPath,
} from './partnersApi';
import { ActionError, useAction } from './useAction';
import { WorkAccess } from './WorkAccess';

/** Staff with a municipality (admins manage, other roles read); operators have none to show. */
export const isMunicipalStaff = (me: MyUser) =>
  me.user.kind === 'staff' && me.municipalitySlug !== null;
export const isMunicipalAdmin = (me: MyUser) => me.user.roles.includes('admin');

/** `/staff/partners`: the municipality's partners, and (for admins) a form to add one. */
export function StaffPartnersPage() {
  return (
    <WorkAccess audience="staff" allowed={isMunicipalStaff}>
      {(me) => <PartnerList slug={me.municipalitySlug!} canManage={isMunicipalAdmin(me)} />}
    </WorkAccess>
  );
}

function PartnerList({ slug, canManage }: { slug: string; canManage: boolean }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  useDocumentTitle(t('partners.list.title'));
  const partners = useApiResource<{ items: Partner[] }>(staffPartnersPath(slug), { cache: false });
  return (
    <Stack gap="lg">
      <Title order={1}>{t('partners.list.title')}</Title>
      <Text maw="48rem">{t('partners.list.intro')}</Text>
      {partners.status === 'loading' && <LoadingState label={t('partners.loading')} />}
      {partners.status === 'error' && (
        <ErrorState error={partners.error} onRetry={partners.retry} />
      )}
      {partners.status === 'ready' &&
        (partners.data.items.length === 0 ? (
          <Text>{t('partners.list.none')}</Text>
        ) : (
          <DataTable
            testId="partners"
            minWidth={560}
            headers={[
              t('partners.fields.name'),
              t('partners.fields.kind'),
              t('partners.fields.status'),
              t('partners.fields.since'),
            ]}
          >
            {partners.data.items.map((partner) => (
              <Table.Tr key={partner.id}>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/staff/partners/${encodeURIComponent(partner.id)}`}
                    fw={600}
                    underline="always"
                  >
                    {partner.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t(`partners.kinds.${partner.kind}`)}</Table.Td>
                <Table.Td>
                  <StatusBadge status={partner.status} />
                </Table.Td>
                <Table.Td>{formatDate(partner.createdAt, locale)}</Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        ))}
      {canManage && <CreatePartnerForm slug={slug} />}
    </Stack>
  );
}

export function StatusBadge({ status }: { status: Partner['status'] }) {
  const { t } = useTranslation();
  return status === 'active' ? (
    <Badge color="civic" variant="light" styles={OK_BADGE}>
      {t('partners.status.active')}
    </Badge>
  ) : (
    <Badge color="gray" variant="light" styles={MUTED_BADGE}>
      {t('partners.status.inactive')}
    </Badge>
  );
}

/** The kinds as options of a native select, in the reader's language. */
export function useKindOptions() {
  const { t } = useTranslation();
  return PARTNER_KINDS.map((kind) => ({ value: kind, label: t(`partners.kinds.${kind}`) }));
}

function CreatePartnerForm({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const kinds = useKindOptions();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<PartnerKind>('merchant');
  const [tried, setTried] = useState(false);
  const action = useAction();
  const nameMissing = name.trim() === '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (nameMissing) return;
    await action.run('create', async () => {
      const partner = await send<Partner>('POST', staffPartnersPath(slug), {
        name: name.trim(),
        kind,
      });
      navigate(`/staff/partners/${encodeURIComponent(partner.id)}`);
    });
  };

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="new-partner-title">
      <form onSubmit={(e) => void submit(e)} noValidate className={classes.form}>
        <Title order={2} size="h3" id="new-partner-title" mb="sm">
          {t('partners.list.createTitle')}
        </Title>
        <ActionError error={action.error} />
        <Group align="flex-end" gap="md">
          <TextInput
            label={t('partners.fields.name')}
            value={name}
            maxLength={120}
            onChange={(e) => setName(e.currentTarget.value)}
            error={tried && nameMissing ? t('partners.list.nameMissing') : undefined}
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
          <Button type="submit" size="md" className={classes.touch} loading={action.busy !== null}>
            {t('partners.list.create')}
          </Button>
        </Group>
      </form>
    </Paper>
  );
}
