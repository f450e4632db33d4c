import { Anchor, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useWallet } from '../../../api/endpoints';
import { useMyHousehold } from '../../../api/profile';
import type { Me, Wallet } from '../../../api/types';
import { CoinIcon } from '../../../components/icons';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { formatCount, formatDate, formatEuroCents, pluralForm } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import earn from '../earn/earn.module.css';
import { fetchWallet } from '../earn/earnApi';
import { FailureAlert } from '../FailureAlert';
import { SignedInOnly } from '../SignedInOnly';
import { Fact } from './Fact';
import { Places } from './Places';
import { clearPurchaseId, readPurchaseId } from './purchaseDraft';
import { explainPurchaseFailure, type NextStep } from './purchaseProblems';
import { priceText, rewardName, worthText } from './rewardTexts';
import classes from './spend.module.css';
import { buyReward } from './spendApi';
import { issuesVoucher, pointsShort, unavailableReason, validUntilDay } from './spendRules';
import type { Reward, Voucher } from './spendTypes';
import { type RewardsData, WithRewards } from './WithRewards';

/** `/resident/rewards/:rewardId`: what you get, for how much, and "Buy" — then what you got. */
export function BuyPage() {
  const { t } = useTranslation();
  return (
    <SignedInOnly loadingLabel={t('buy.loading')}>{(me) => <SignedInBuy me={me} />}</SignedInOnly>
  );
}

function SignedInBuy({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { rewardId = '' } = useParams();
  return (
    <Stack gap="lg" className={classes.narrow} data-testid="buy-page">
      <Anchor component={Link} to="/resident/rewards" className={earn.back}>
        {t('buy.back')}
      </Anchor>
      <WithRewards municipalityId={me.municipalityId} loadingLabel={t('buy.loading')}>
        {(data) => {
          const reward = data.rewards.find((r) => r.id === rewardId);
          return reward ? <Confirm key={reward.id} reward={reward} data={data} /> : <NotForSale />;
        }}
      </WithRewards>
    </Stack>
  );
}

function NotForSale() {
  const { t } = useTranslation();
  useDocumentTitle(t('buy.refusal.reward_unavailable.title'));
  return (
    <Stack gap="md">
      <FailureAlert title={t('buy.refusal.reward_unavailable.title')} color="notice">
        {t('buy.refusal.reward_unavailable.text')}
      </FailureAlert>
      <Button
        component={Link}
        to="/resident/rewards"
        size="lg"
        className={earn.wrap}
        classNames={{ label: earn.wrapLabel }}
      >
        {t('buy.more')}
      </Button>
    </Stack>
  );
}

function Confirm({ reward, data }: { reward: Reward; data: RewardsData }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const wallet = useWallet();
  const household = useMyHousehold();
  // null: the resident has no household (a tax reduction needs one); undefined: not known yet.
  const home = household.status === 'ready' ? household.data.household : undefined;
  // One id per confirmation, kept for the tab: "Buy" again after a lost answer never buys twice.
  const [purchaseId, setPurchaseId] = useState(() => readPurchaseId(reward.id));
  const [busy, setBusy] = useState(false);
  // The error is kept, not its text, so that the explanation follows a change of language.
  const [failure, setFailure] = useState<{ error: unknown } | null>(null);
  const [done, setDone] = useState<{ voucher: Voucher; balance: number | null } | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const name = rewardName(reward.names, locale);
  const problem = failure ? explainPurchaseFailure(t, failure.error, reward, locale) : null;
  useDocumentTitle(done ? t('buy.done.documentTitle') : t('buy.title', { name }));

  useEffect(() => {
    if (!failure) return;
    const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    problemRef.current?.scrollIntoView({ block: 'center', behavior: still ? 'auto' : 'smooth' });
  }, [failure]);

  if (done) return <Done reward={reward} voucher={done.voucher} balance={done.balance} />;

  const buy = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const voucher = await buyReward(reward.id, purchaseId);
      clearPurchaseId(reward.id);
      if (issuesVoucher(voucher.kind) && voucher.status === 'issued') {
        navigate(`/resident/vouchers/${encodeURIComponent(voucher.id)}`, {
          state: { bought: true },
        });
        return;
      }
      const balance = await fetchWallet().then(
        (next) => next.points,
        () => null,
      );
      setDone({ voucher, balance });
    } catch (error) {
      if (explainPurchaseFailure(t, error, reward, locale).newPurchaseId) {
        clearPurchaseId(reward.id);
        setPurchaseId(readPurchaseId(reward.id));
      }
      setFailure({ error });
      setBusy(false);
      // A refusal may come from a balance that changed meanwhile: show the points as they are.
      wallet.retry();
    }
  };

  const now = new Date();
  const unavailable = unavailableReason(reward, now);
  const points = wallet.status === 'ready' ? wallet.data : null;
  const short = points ? pointsShort(reward, points.points) : 0;
  const description = reward.descriptions[locale]?.trim();
  const until = validUntilDay(reward, now);
  const noHousehold = reward.kind === 'tax_reduction' && home === null;
  return (
    <>
      <div>
        <Title order={1}>{t('buy.title', { name })}</Title>
        <Text size="lg" mt="xs" className={earn.description}>
          {t('buy.intro')}
        </Text>
      </div>
      <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="buy-summary">
        <Title order={2} size="h4" id="buy-summary" mb="md">
          {t('buy.summaryTitle')}
        </Title>
        <dl className={classes.facts} data-testid="buy-summary">
          <Fact name={t('buy.what')}>
            <Text fw={700}>{name}</Text>
            {description && <Text className={earn.description}>{description}</Text>}
          </Fact>
          <Fact name={t('buy.price')} testId="buy-price">
            <Text className={classes.strong}>{priceText(t, reward.pricePoints, locale)}</Text>
            <Text className={classes.worth}>{worthText(t, reward, locale)}</Text>
          </Fact>
          {points && <AfterBuying wallet={points} price={reward.pricePoints} />}
          {reward.kind === 'tax_reduction' && <TaxFacts reward={reward} home={home} />}
          {reward.kind === 'donation' && (
            <Fact name={t('buy.goesTo')}>
              <Text>
                {t('buy.donation', {
                  amount: formatEuroCents(reward.valueCents, locale),
                  name,
                })}
              </Text>
            </Fact>
          )}
          {until && (
            <Fact name={t('buy.until')} testId="buy-until">
              <Text className={classes.strong}>{formatDate(`${until}T12:00:00Z`, locale)}</Text>
            </Fact>
          )}
          {issuesVoucher(reward.kind) && (
            <Fact name={t('rewards.where.title')}>
              <Places
                reward={reward}
                municipalities={data.municipalities}
                homeId={data.municipality.id}
              />
            </Fact>
          )}
        </dl>
      </Paper>
      <Text>{issuesVoucher(reward.kind) ? t('buy.canCancel') : t('buy.final')}</Text>
      {short > 0 && !problem && (
        <FailureAlert title={t('buy.short.title')} color="notice" testId="buy-short">
          <Text className={earn.alertText}>
            {t(`buy.short.text.${pluralForm(short, locale)}`, {
              points: formatCount(short, locale),
            })}
          </Text>
          <NextLink next="earn" />
        </FailureAlert>
      )}
      {unavailable && !problem && (
        <FailureAlert title={t('buy.refusal.reward_unavailable.title')} color="notice">
          {t(`rewards.unavailable.${unavailable === 'notYet' ? 'over' : unavailable}`)}
        </FailureAlert>
      )}
      {problem && (
        <div ref={problemRef}>
          <FailureAlert
            title={problem.title}
            color={problem.refusal ? 'notice' : 'red'}
            testId="buy-problem"
          >
            <Text className={earn.alertText}>{problem.text}</Text>
            <NextLink next={problem.next} />
          </FailureAlert>
        </div>
      )}
      <Stack gap="sm">
        <Button
          size="lg"
          fullWidth
          className={earn.wrap}
          classNames={{ label: earn.wrapLabel }}
          loading={busy}
          // Not enough points, not for sale, no household for a tax reduction: the API would
          // refuse, and the page already says why.
          disabled={unavailable !== null || short > 0 || noHousehold}
          onClick={() => void buy()}
          data-testid="buy"
        >
          {t(`buy.button.${pluralForm(reward.pricePoints, locale)}`, {
            points: formatCount(reward.pricePoints, locale),
          })}
        </Button>
        <Button
          component={Link}
          to="/resident/rewards"
          variant="default"
          size="lg"
          fullWidth
          className={earn.wrap}
          classNames={{ label: earn.wrapLabel }}
        >
          {t('buy.notNow')}
        </Button>
      </Stack>
    </>
  );
}

/** "Your points now: 3,000 — after buying: 2,700". */
function AfterBuying({ wallet, price }: { wallet: Wallet; price: number }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const after = wallet.points - price;
  return (
    <>
      <Fact name={t('buy.balanceNow')} testId="buy-balance">
        <Text>
          {t(`buy.points.${pluralForm(wallet.points, locale)}`, {
            points: formatCount(wallet.points, locale),
          })}
        </Text>
      </Fact>
      <Fact name={t('buy.balanceAfter')} testId="buy-after">
        <Text className={classes.after} data-short={after < 0 || undefined}>
          {after >= 0
            ? t(`buy.points.${pluralForm(after, locale)}`, { points: formatCount(after, locale) })
            : t('buy.notEnough')}
        </Text>
      </Fact>
    </>
  );
}

/** A tax reduction: how much comes off which household's tax. */
function TaxFacts({
  reward,
  home,
}: {
  reward: Reward;
  home: { address: string } | null | undefined;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (
    <Fact name={t('buy.goesTo')} testId="buy-tax">
      <Text>{t('buy.tax', { amount: formatEuroCents(reward.valueCents, locale) })}</Text>
      {home && (
        <Text className={classes.muted}>{t('buy.taxHousehold', { address: home.address })}</Text>
      )}
      {home === null && (
        <Text fw={600} mt="xs">
          {t('buy.refusal.household_required.text')}{' '}
          <Anchor component={Link} to="/resident/household">
            {t('buy.next.household')}
          </Anchor>
        </Text>
      )}
    </Fact>
  );
}

/** The way on from a refusal: earn more, set up the household, other rewards, my vouchers. */
function NextLink({ next }: { next: NextStep }) {
  const { t } = useTranslation();
  if (!next) return null;
  const to = {
    earn: '/resident/earn',
    household: '/resident/household',
    rewards: '/resident/rewards',
    vouchers: '/resident/vouchers',
    signIn: '/sign-in',
  }[next];
  return (
    <Button
      component={Link}
      to={to}
      variant="white"
      size="md"
      mt="sm"
      className={earn.wrap}
      classNames={{ label: earn.wrapLabel }}
    >
      {t(`buy.next.${next}`)}
    </Button>
  );
}

/** A tax reduction or a donation is done at once: say so, with the new balance. */
function Done({
  reward,
  voucher,
  balance,
}: {
  reward: Reward;
  voucher: Voucher;
  balance: number | null;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const amount = formatEuroCents(voucher.valueCents, locale);
  return (
    <Stack gap="lg" align="flex-start" data-testid="buy-done">
      <span className={classes.doneIcon}>
        <CoinIcon size={32} />
      </span>
      <Title order={1} ref={heading} tabIndex={-1}>
        {t('buy.done.title')}
      </Title>
      <Text size="lg" fw={600}>
        {rewardName(reward.names, locale)}
      </Text>
      <Text size="lg">
        {voucher.kind === 'tax_reduction'
          ? t('buy.done.tax', { amount })
          : t('buy.done.donation', { amount })}
      </Text>
      {balance !== null && (
        <Text size="lg" data-testid="buy-done-balance">
          {t(`earn.result.balance.${pluralForm(balance, locale)}`, {
            points: formatCount(balance, locale),
          })}
        </Text>
      )}
      <Stack gap="sm" w="100%">
        <Button
          component={Link}
          to="/resident/rewards"
          size="lg"
          fullWidth
          className={earn.wrap}
          classNames={{ label: earn.wrapLabel }}
        >
          {t('buy.more')}
        </Button>
        <Button
          component={Link}
          to="/resident/vouchers"
          variant="light"
          size="lg"
          fullWidth
          className={earn.wrap}
          classNames={{ label: earn.wrapLabel }}
        >
          {t('vouchers.link')}
        </Button>
      </Stack>
    </Stack>
  );
}
