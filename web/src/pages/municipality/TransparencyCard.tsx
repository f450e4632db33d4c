import { Button, Card, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Municipality } from '../../api/types';

/** On the municipality's page: the way to its participation and impact figures. */
export function TransparencyCard({ municipality }: { municipality: Municipality }) {
  const { t } = useTranslation();
  return (
    <Card
      withBorder
      radius="lg"
      padding="lg"
      component="section"
      aria-labelledby="transparency-title"
    >
      <Title order={2} size="h4" id="transparency-title" mb="xs">
        {t('figures.public.cardTitle')}
      </Title>
      <Text mb="md">{t('figures.public.cardText')}</Text>
      <Button
        component={Link}
        to={`/municipalities/${municipality.slug}/transparency`}
        mih="2.75rem"
        data-testid="transparency-link"
      >
        {t('figures.public.cardLink')}
      </Button>
    </Card>
  );
}
