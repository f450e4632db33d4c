import { Button, Paper, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Household } from '../../api/types';
import { useApiResource } from '../../api/useApiResource';
import classes from './resident.module.css';

/** On the resident home: the household in one line, and the way to its page. */
export function HouseholdCard() {
  const { t } = useTranslation();
  const loaded = useApiResource<{ household: Household | null }>('/api/me/household', {
    cache: false,
  });
  const household = loaded.status === 'ready' ? loaded.data.household : undefined;
  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="household-title">
      <Title order={2} size="h4" id="household-title">
        {t('household.title')}
      </Title>
      {household !== undefined && (
        <Text mt="xs" data-testid="home-household">
          {household === null
            ? t('household.cardNone')
            : household.verified
              ? t('household.cardVerified', { address: household.address })
              : t('household.cardNotVerified', { address: household.address })}
        </Text>
      )}
      <Button
        component={Link}
        to="/resident/household"
        variant="light"
        size="md"
        mt="md"
        fullWidth
        className={classes.touch}
      >
        {household === null ? t('household.cardSetUp') : t('household.cardOpen')}
      </Button>
    </Paper>
  );
}
