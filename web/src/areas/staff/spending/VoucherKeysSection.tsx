import { Button, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { postJson } from '../../../api/client';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { useLocale } from '../../../i18n/useLocale';
import { ConfirmDialog } from '../ConfirmDialog';
import { type Column, DataTable } from '../DataTable';
import { formatDateTime } from '../format';
import classes from '../staff.module.css';
import { useFreshResource } from '../useList';
import local from './spending.module.css';
import type { SigningKey } from './spendingTypes';

const TONES = { active: 'good', retired: undefined, revoked: 'bad' } as const;

/**
 * The keys that sign the municipality's vouchers (public parts): which signs now, which were
 * retired (they still verify what they signed); "Rotate key" asks first, as it cannot be undone.
 */
export function VoucherKeysSection({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const path = `/api/municipalities/${encodeURIComponent(slug)}/voucher-keys`;
  const keys = useFreshResource<{ items: SigningKey[] }>(path);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const rotate = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const next = await postJson<{ items: SigningKey[] }>(`${path}/rotate`);
      const active = next.items.find((k) => k.status === 'active');
      setAsking(false);
      setDone(t('voucherKeys.rotated', { id: active?.id ?? '' }));
      keys.reload();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const columns: Column<SigningKey>[] = [
    {
      key: 'id',
      label: t('voucherKeys.id'),
      sortValue: (k) => k.id,
      render: (k) => <span className={classes.code}>{k.id}</span>,
    },
    {
      key: 'status',
      label: t('voucherKeys.status'),
      sortValue: (k) => k.status,
      render: (k) => (
        <span className={local.badge} data-tone={TONES[k.status]}>
          {t(`voucherKeys.statuses.${k.status}`)}
        </span>
      ),
    },
    {
      key: 'created',
      label: t('voucherKeys.created'),
      sortValue: (k) => k.createdAt,
      render: (k) => formatDateTime(k.createdAt, locale),
    },
    {
      key: 'retired',
      label: t('voucherKeys.retired'),
      sortValue: (k) => k.retiredAt ?? '',
      render: (k) => (k.retiredAt ? formatDateTime(k.retiredAt, locale) : '–'),
    },
  ];

  return (
    <Stack component="section" gap="md" aria-labelledby="voucher-keys" maw={960}>
      <div>
        <Title order={2} id="voucher-keys">
          {t('voucherKeys.title')}
        </Title>
        <Text mt="xs">{t('voucherKeys.intro')}</Text>
      </div>
      <div role="status" aria-live="polite" className={classes.status} data-testid="keys-done">
        {done}
      </div>
      {keys.status === 'loading' && <LoadingState label={t('voucherKeys.loading')} />}
      {keys.status === 'error' && <ErrorState error={keys.error} onRetry={keys.reload} />}
      {keys.status === 'ready' && (
        <DataTable
          caption={t('voucherKeys.caption')}
          columns={columns}
          rows={keys.data.items}
          rowKey={(k) => k.id}
          initialSort={{ key: 'created', direction: 'descending' }}
          testId="voucher-keys-table"
          minWidth={640}
        />
      )}
      <Button
        variant="default"
        className={classes.touch}
        style={{ alignSelf: 'flex-start' }}
        onClick={() => {
          setFailure(null);
          setAsking(true);
        }}
      >
        {t('voucherKeys.rotate')}
      </Button>
      {asking && (
        <ConfirmDialog
          title={t('voucherKeys.confirmTitle')}
          confirmLabel={t('voucherKeys.confirm')}
          busy={busy}
          failure={failure}
          onConfirm={() => void rotate()}
          onCancel={() => setAsking(false)}
        >
          <Text>{t('voucherKeys.confirmText')}</Text>
          <Text fw={700}>{t('voucherKeys.cannotUndo')}</Text>
        </ConfirmDialog>
      )}
    </Stack>
  );
}
