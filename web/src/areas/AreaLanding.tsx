import { Anchor, Badge, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../components/useDocumentTitle';
import type { Area } from './areas';

interface AreaLandingProps {
  area: Area;
  /** Show the "coming in a later release" badge (off once part of the area is open). */
  comingSoon?: boolean;
  /** The area's main action, below the text. */
  children?: ReactNode;
}

/** The honest placeholder of an area that is not open yet, or not yet for this visitor. */
export function AreaLanding({ area, comingSoon = true, children }: AreaLandingProps) {
  const { t } = useTranslation();
  const name = t(`areas.${area}.name`);
  useDocumentTitle(name);
  return (
    <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} maw="44rem" bg="gray.0">
      <Stack gap="md" align="flex-start">
        {comingSoon && (
          <Badge variant="light" size="lg" radius="sm">
            {t('areas.comingSoon')}
          </Badge>
        )}
        <Title order={1}>{name}</Title>
        <Text size="lg">{t(`areas.${area}.landing`)}</Text>
        <Text>
          {t('areas.meanwhile')}{' '}
          <Anchor component={Link} to="/" fw={600} underline="always">
            {t('municipality.allMunicipalities')}
          </Anchor>
        </Text>
        {children}
      </Stack>
    </Paper>
  );
}
