import { Badge, Container, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import classes from './layout.module.css';

/** The strip that marks a demo region on every page, so sample data is never taken for real. */
export function DemoNotice() {
  const { t } = useTranslation();
  return (
    <div className={classes.demo} data-testid="demo-notice">
      <Container size="lg">
        <Group gap="xs" wrap="nowrap" py={6} align="center">
          <Badge color="notice.9" radius="sm" size="sm" className={classes.demoBadge}>
            {t('demo.badge')}
          </Badge>
          <Text size="sm" fw={500} className={classes.demoText}>
            {t('demo.notice')}
          </Text>
        </Group>
      </Container>
    </div>
  );
}
