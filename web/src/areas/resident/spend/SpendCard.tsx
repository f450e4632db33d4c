import { Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatCount, pluralForm } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import earn from '../earn/earn.module.css';
import { PayoutsLink } from '../payouts/PayoutsLink';
import { useMyVouchers } from './spendApi';

/** On the resident home: "Spend your points" (the rewards), and the vouchers ready to use. */
export function SpendCard() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const vouchers = useMyVouchers();
  const open =
    vouchers.status === 'ready'
      ? vouchers.data.items.filter((voucher) => voucher.status === 'issued').length
      : 0;
  return (
    <Paper
      withBorder
      radius="lg"
      p="lg"
      component="section"
      aria-labelledby="spend-title"
      data-testid="spend-card"
    >
      <Title order={2} size="h4" id="spend-title" mb="xs">
        {t('rewards.home.title')}
      </Title>
      <Text>{t('rewards.home.lead')}</Text>
      {open > 0 && (
        <Text fw={700} mt="xs" data-testid="open-vouchers-count">
          {t(`rewards.home.open.${pluralForm(open, locale)}`, { count: formatCount(open, locale) })}
        </Text>
      )}
      <Stack gap="xs" mt="md">
        <Button
          component={Link}
          to="/resident/rewards"
          size="md"
          fullWidth
          className={earn.wrap}
          classNames={{ label: earn.wrapLabel }}
          data-testid="rewards-link"
        >
          {t('rewards.link')}
        </Button>
        {open > 0 && (
          <Button
            component={Link}
            to="/resident/vouchers"
            variant="light"
            size="md"
            fullWidth
            className={earn.wrap}
            classNames={{ label: earn.wrapLabel }}
            data-testid="vouchers-link"
          >
            {t('vouchers.link')}
          </Button>
        )}
        <PayoutsLink />
      </Stack>
    </Paper>
  );
}
