import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Municipality } from '../../../api/types';
import { useLocale } from '../../../i18n/useLocale';
import classes from './spend.module.css';
import { issuesVoucher } from './spendRules';
import type { Reward } from './spendTypes';

/**
 * Where a reward's vouchers are used: each partner with its addresses (and its town when it is
 * not the resident's); for a tax reduction or a donation, that nothing needs collecting.
 */
export function Places({
  reward,
  municipalities,
  homeId,
}: {
  reward: Pick<Reward, 'kind' | 'places' | 'scope'>;
  municipalities: readonly Municipality[];
  homeId: string;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  if (!issuesVoucher(reward.kind)) {
    return (
      <Text>
        {reward.kind === 'tax_reduction' ? t('rewards.where.tax') : t('rewards.where.donation')}
      </Text>
    );
  }
  if (reward.places.length === 0) return <Text>{t('rewards.where.unknown')}</Text>;
  const town = (id: string) => municipalities.find((m) => m.id === id)?.names[locale] ?? null;
  return (
    <ul className={classes.places} data-testid="reward-places">
      {reward.places.map((place) => {
        // The town, when it is not the resident's and the partner's name does not say it.
        const other = place.municipalityId !== homeId ? town(place.municipalityId) : null;
        const elsewhere = other && !place.name.includes(other) ? other : null;
        const addresses = place.locations.map((location) =>
          location.name && location.name !== place.name
            ? `${location.name}, ${location.address}`
            : location.address,
        );
        return (
          <li key={place.partnerId}>
            <Text component="span" className={classes.placeName}>
              {elsewhere
                ? t('rewards.where.inTown', { name: place.name, town: elsewhere })
                : place.name}
            </Text>
            {addresses.map((address) => (
              <Text key={address} size="sm" className={classes.address}>
                {address}
              </Text>
            ))}
          </li>
        );
      })}
    </ul>
  );
}
