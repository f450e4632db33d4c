import { Button, Container, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Shown when rendering a page crashed: says so plainly and offers a fresh start. */
export function RouteErrorPage() {
  const { t } = useTranslation();
  return (
    <Container size="sm" py={64} component="main">
      <Stack gap="md" align="flex-start">
        <Title order={1}>{t('error.serverTitle')}</Title>
        <Text size="lg">{t('error.serverDetail')}</Text>
        <Button component="a" href="/">
          {t('notFound.home')}
        </Button>
      </Stack>
    </Container>
  );
}
