import {
  Anchor,
  Button,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useWallet } from '../../../api/endpoints';
import type { Me, Wallet } from '../../../api/types';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { formatCount, formatDate, formatEuroCents, pluralForm } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import earn from '../earn/earn.module.css';
import { SignedInOnly } from '../SignedInOnly';
import { Places } from './Places';
import { priceText, rewardName, rulesOf, stockText, worthText } from './rewardTexts';
import classes from './spend.module.css';
import {
  categoriesOf,
  filterRewards,
  placesOf,
  pointsShort,
  readFilters,
  someNeedNoPlace,
  unavailableReason,
  whereValue,
} from './spendRules';
import type { Reward } from './spendTypes';
import { type RewardsData, WithRewards } from './WithRewards';

/** `/resident/rewards`: what points buy here, filtered by what and where, with "Choose". */
export function RewardsPage() {
  const { t } = useTranslation();
  return (
    <SignedInOnly loadingLabel={t('rewards.loading')}>
      {(me) => <SignedInRewards me={me} />}
    </SignedInOnly>
  );
}

function SignedInRewards({ me }: { me: Me }) {
  const { t } = useTranslation();
  useDocumentTitle(t('rewards.title'));
  const wallet = useWallet();
  const balance = wallet.status === 'ready' ? wallet.data : null;
  return (
    <Stack gap="lg" className={classes.page} data-testid="rewards-page">
      <Anchor component={Link} to="/resident" className={earn.back}>
        {t('earn.back')}
      </Anchor>
      <div>
        <Title order={1}>{t('rewards.title')}</Title>
        <Text size="lg" mt="xs" className={earn.description}>
          {t('rewards.intro')}
        </Text>
      </div>
      {balance && <BalanceStrip wallet={balance} />}
      <Button
        component={Link}
        to="/resident/vouchers"
        variant="light"
        size="md"
        className={earn.wrap}
        classNames={{ label: earn.wrapLabel }}
        style={{ alignSelf: 'flex-start' }}
        data-testid="my-vouchers-link"
      >
        {t('vouchers.link')}
      </Button>
      <WithRewards municipalityId={me.municipalityId} loadingLabel={t('rewards.loading')}>
        {(data) => <Catalogue data={data} balance={balance?.points ?? null} />}
      </WithRewards>
    </Stack>
  );
}

/** "You have 3,000 points (worth €30.00) to spend." */
export function BalanceStrip({ wallet }: { wallet: Wallet }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (
    <Text className={classes.balanceStrip} data-testid="rewards-balance">
      {t(`rewards.balance.${pluralForm(wallet.points, locale)}`, {
        points: formatCount(wallet.points, locale),
        amount: formatEuroCents(wallet.points * wallet.pointValueCents, locale),
      })}
    </Text>
  );
}

function Catalogue({ data, balance }: { data: RewardsData; balance: number | null }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [params, setParams] = useSearchParams();
  const { rewards, municipalities, municipality } = data;
  if (rewards.length === 0) {
    return (
      <Paper withBorder radius="lg" p="lg">
        <Text size="lg">{t('rewards.empty')}</Text>
      </Paper>
    );
  }
  const categories = categoriesOf(rewards);
  const places = placesOf(rewards);
  const { what, where } = readFilters(
    params,
    categories,
    places.map((place) => place.partnerId),
  );
  const shown = filterRewards(rewards, what, where);

  const setFilter = (name: 'what' | 'where', value: string) => {
    setParams(
      () => {
        // From the address as it is now, not as of the last render: two quick changes (what,
        // then where) must both stay.
        const next = new URLSearchParams(window.location.search);
        if (value === 'all') next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true },
    );
  };

  // Places grouped by town, the resident's own first.
  const towns = [municipality, ...municipalities.filter((m) => m.id !== municipality.id)].filter(
    (m) => places.some((place) => place.municipalityId === m.id),
  );
  const whereData = [
    { value: 'all', label: t('rewards.filter.allWhere') },
    ...(someNeedNoPlace(rewards) ? [{ value: 'none', label: t('rewards.filter.nowhere') }] : []),
    ...towns.map((town) => ({
      group: town.names[locale],
      items: places
        .filter((place) => place.municipalityId === town.id)
        .map((place) => ({ value: place.partnerId, label: place.name })),
    })),
  ];

  return (
    <Stack gap="lg">
      <search aria-label={t('rewards.filter.label')} className={classes.filters}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
          <NativeSelect
            label={t('rewards.filter.what')}
            size="md"
            value={what}
            onChange={(event) => setFilter('what', event.currentTarget.value)}
            data={[
              { value: 'all', label: t('rewards.filter.allWhat') },
              ...categories.map((category) => ({
                value: category,
                label: t(`rewards.category.${category}`),
              })),
            ]}
            data-testid="filter-what"
          />
          <NativeSelect
            label={t('rewards.filter.where')}
            size="md"
            value={whereValue(where)}
            onChange={(event) => setFilter('where', event.currentTarget.value)}
            data={whereData}
            data-testid="filter-where"
          />
        </SimpleGrid>
      </search>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text role="status" aria-live="polite" fw={600} data-testid="rewards-count">
          {t(`rewards.count.${pluralForm(shown.length, locale)}`, {
            count: formatCount(shown.length, locale),
          })}
        </Text>
        {(what !== 'all' || where !== 'all') && (
          <Button
            variant="subtle"
            size="md"
            className={earn.wrap}
            classNames={{ label: earn.wrapLabel }}
            onClick={() => setParams(new URLSearchParams(), { replace: true })}
          >
            {t('rewards.filter.reset')}
          </Button>
        )}
      </Group>
      {shown.length === 0 ? (
        <Paper withBorder radius="lg" p="lg" data-testid="rewards-none">
          <Text size="lg">{t('rewards.none')}</Text>
        </Paper>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
          {shown.map((reward) => (
            <RewardCard key={reward.id} reward={reward} data={data} balance={balance} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function RewardCard({
  reward,
  data,
  balance,
}: {
  reward: Reward;
  data: RewardsData;
  balance: number | null;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const name = rewardName(reward.names, locale);
  const description = reward.descriptions[locale]?.trim();
  const rules = rulesOf(t, reward, locale);
  const stock = stockText(t, reward, locale);
  const unavailable = unavailableReason(reward, new Date());
  const short = balance === null ? null : pointsShort(reward, balance);
  const nameId = `reward-${reward.code}-name`;
  return (
    <Paper
      withBorder
      radius="lg"
      p="lg"
      component="article"
      aria-labelledby={nameId}
      className={earn.card}
      data-testid={`reward-${reward.code}`}
    >
      <div>
        <Title order={2} size="h3" id={nameId}>
          {name}
        </Title>
        <p className={classes.price} data-testid="reward-price">
          {priceText(t, reward.pricePoints, locale)}
        </p>
        <Text className={classes.worth}>{worthText(t, reward, locale)}</Text>
      </div>
      {description && <Text className={earn.description}>{description}</Text>}
      <div>
        <Title order={3} className={earn.smallTitle}>
          {t('rewards.where.title')}
        </Title>
        <Places
          reward={reward}
          municipalities={data.municipalities}
          homeId={data.municipality.id}
        />
      </div>
      {(rules.length > 0 || stock) && (
        <div>
          <Title order={3} className={earn.smallTitle}>
            {t('rewards.rulesTitle')}
          </Title>
          <ul className={earn.list} data-testid="reward-rules">
            {stock && <li data-testid="reward-stock">{stock}</li>}
            {rules.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      {short !== null && !unavailable && (
        <Text
          className={classes.afford}
          data-afford={short === 0 ? 'yes' : 'no'}
          data-testid="reward-afford"
        >
          {short === 0
            ? t('rewards.afford.yes')
            : t(`rewards.afford.short.${pluralForm(short, locale)}`, {
                points: formatCount(short, locale),
              })}
        </Text>
      )}
      <div className={earn.cardAction}>
        {unavailable ? (
          <Text fw={600} data-testid="reward-unavailable">
            {unavailable === 'notYet' && reward.validFrom
              ? t('rewards.unavailable.notYet', { date: formatDate(reward.validFrom, locale) })
              : t(`rewards.unavailable.${unavailable === 'notYet' ? 'over' : unavailable}`)}
          </Text>
        ) : (
          <Button
            component={Link}
            to={`/resident/rewards/${encodeURIComponent(reward.id)}`}
            size="lg"
            fullWidth
            variant={short === null || short === 0 ? 'filled' : 'light'}
            className={earn.wrap}
            classNames={{ label: earn.wrapLabel }}
            aria-label={t('rewards.chooseNamed', { name })}
          >
            {t('rewards.choose')}
          </Button>
        )}
      </div>
    </Paper>
  );
}
