import { Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { useLocale } from '../../../i18n/useLocale';
import earn from '../earn/earn.module.css';
import { SignedInOnly } from '../SignedInOnly';
import { OfflineNote } from './OfflineNote';
import { priceText, rewardName, voucherWhen } from './rewardTexts';
import classes from './spend.module.css';
import { useMyVouchers } from './spendApi';
import { orderVouchers } from './spendRules';
import type { Voucher } from './spendTypes';

/** `/resident/vouchers`: the resident's vouchers, the ones ready to use first. Opens offline. */
export function MyVouchersPage() {
  const { t } = useTranslation();
  return (
    <SignedInOnly loadingLabel={t('vouchers.loading')}>{() => <SignedInVouchers />}</SignedInOnly>
  );
}

function SignedInVouchers() {
  const { t } = useTranslation();
  useDocumentTitle(t('vouchers.title'));
  const vouchers = useMyVouchers();
  return (
    <Stack gap="lg" className={classes.narrow} data-testid="my-vouchers-page">
      <Anchor component={Link} to="/resident" className={earn.back}>
        {t('earn.back')}
      </Anchor>
      <div>
        <Title order={1}>{t('vouchers.title')}</Title>
        <Text size="lg" mt="xs" className={earn.description}>
          {t('vouchers.intro')}
        </Text>
      </div>
      <OfflineNote />
      <Button
        component={Link}
        to="/resident/rewards"
        variant="light"
        size="md"
        className={earn.wrap}
        classNames={{ label: earn.wrapLabel }}
        style={{ alignSelf: 'flex-start' }}
      >
        {t('rewards.link')}
      </Button>
      {vouchers.status === 'loading' && <LoadingState label={t('vouchers.loading')} />}
      {vouchers.status === 'error' && (
        <ErrorState error={vouchers.error} onRetry={vouchers.retry} />
      )}
      {vouchers.status === 'ready' && <VoucherList vouchers={vouchers.data.items} />}
    </Stack>
  );
}

function VoucherList({ vouchers }: { vouchers: Voucher[] }) {
  const { t } = useTranslation();
  if (vouchers.length === 0) {
    return (
      <Paper withBorder radius="lg" p="lg" data-testid="my-vouchers-empty">
        <Text size="lg">{t('vouchers.empty')}</Text>
      </Paper>
    );
  }
  const { open, earlier } = orderVouchers(vouchers);
  return (
    <Stack gap="xl">
      <section aria-labelledby="open-title">
        <Title order={2} id="open-title" mb="md">
          {t('vouchers.openTitle')}
        </Title>
        {open.length === 0 ? (
          <Text>{t('vouchers.noneOpen')}</Text>
        ) : (
          <ul className={classes.voucherList} data-testid="open-vouchers">
            {open.map((voucher) => (
              <VoucherItem key={voucher.id} voucher={voucher} />
            ))}
          </ul>
        )}
      </section>
      {earlier.length > 0 && (
        <section aria-labelledby="earlier-title">
          <Title order={2} id="earlier-title" mb="md">
            {t('vouchers.earlierTitle')}
          </Title>
          <ul className={classes.voucherList} data-testid="earlier-vouchers">
            {earlier.map((voucher) => (
              <VoucherItem key={voucher.id} voucher={voucher} />
            ))}
          </ul>
        </section>
      )}
    </Stack>
  );
}

function VoucherItem({ voucher }: { voucher: Voucher }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const name = rewardName(voucher.rewardNames, locale);
  const titleId = `voucher-${voucher.id}-title`;
  const open = voucher.status === 'issued';
  return (
    <Paper
      component="li"
      withBorder
      radius="lg"
      p="md"
      aria-labelledby={titleId}
      data-testid="voucher-item"
      data-status={voucher.status}
    >
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
          <Title order={3} size="h4" id={titleId}>
            {name}
          </Title>
          <span
            className={classes.status}
            data-status={voucher.status}
            data-testid="voucher-status"
          >
            {t(`vouchers.status.${voucher.status}`)}
          </span>
        </Group>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text fw={open ? 700 : 400}>{voucherWhen(t, voucher, locale)}</Text>
          <Text className={classes.muted}>{priceText(t, voucher.pricePoints, locale)}</Text>
        </Group>
        {open && voucher.shortCode && (
          <Text>
            {t('voucher.codeLabel')} <span className={classes.smallCode}>{voucher.shortCode}</span>
          </Text>
        )}
        <Button
          component={Link}
          to={`/resident/vouchers/${encodeURIComponent(voucher.id)}`}
          variant={open ? 'filled' : 'default'}
          size={open ? 'lg' : 'md'}
          className={earn.wrap}
          classNames={{ label: earn.wrapLabel }}
          fullWidth={open}
          style={open ? undefined : { alignSelf: 'flex-start' }}
          aria-label={
            open ? t('vouchers.showNamed', { name }) : t('vouchers.detailsNamed', { name })
          }
        >
          {open ? t('vouchers.show') : t('vouchers.details')}
        </Button>
      </Stack>
    </Paper>
  );
}
