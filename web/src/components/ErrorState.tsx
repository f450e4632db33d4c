import { Alert, Button, Group, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ApiError } from '../api/client';
import { AlertIcon } from './icons';

interface ErrorStateProps {
  error: ApiError;
  onRetry?: () => void;
  /** Offer a way back to the list of municipalities (for pages below it). */
  withBackToList?: boolean;
  /** Make the title the page's heading of this level (when the error replaces the page). */
  headingLevel?: 1 | 2 | 3;
}

/** Says what went wrong and what to do next, in the reader's language. */
export function ErrorState({
  error,
  onRetry,
  withBackToList = false,
  headingLevel,
}: ErrorStateProps) {
  const { t } = useTranslation();
  const [title, detail] =
    error.kind === 'network'
      ? [t('error.networkTitle'), t('error.networkDetail')]
      : error.kind === 'not_found'
        ? [t('error.notFoundTitle'), t('error.notFoundDetail')]
        : [t('error.serverTitle'), t('error.serverDetail')];
  const canRetry = onRetry && error.kind !== 'not_found';

  return (
    <Alert
      role="alert"
      variant="light"
      color="red"
      radius="md"
      title={
        headingLevel ? (
          <Title order={headingLevel} size="h3" c="inherit">
            {title}
          </Title>
        ) : (
          title
        )
      }
      icon={<AlertIcon />}
      my="lg"
      styles={{ title: { fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      <Text>{detail}</Text>
      {error.code && (
        <Text size="sm" c="dimmed" mt="xs">
          {t('error.code', { code: error.code })}
        </Text>
      )}
      {(canRetry || withBackToList) && (
        <Group mt="md" gap="sm">
          {canRetry && <Button onClick={onRetry}>{t('error.retry')}</Button>}
          {withBackToList && (
            <Button component={Link} to="/" variant={canRetry ? 'default' : 'filled'}>
              {t('error.backToList')}
            </Button>
          )}
        </Group>
      )}
    </Alert>
  );
}
