import { Group, Loader, Text } from '@mantine/core';

/** A polite live region telling that content is on its way. */
export function LoadingState({ label }: { label: string }) {
  return (
    <Group role="status" aria-live="polite" gap="sm" py="xl" justify="center">
      <Loader size="sm" aria-hidden="true" />
      <Text c="dimmed">{label}</Text>
    </Group>
  );
}
