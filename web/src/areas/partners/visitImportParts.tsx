import { Badge, Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportRun } from './visitImports';

/** Pieces the visit import pages share. */

/**
 * A table that scrolls sideways on narrow screens; the scrolling region is focusable and named,
 * so keyboard users can scroll it too (axe: scrollable-region-focusable).
 */
export function ScrollTable({
  testId,
  label,
  minWidth,
  headers,
  children,
}: {
  testId: string;
  label: string;
  minWidth: number;
  headers: string[];
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer
      minWidth={minWidth}
      my="md"
      scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': label, role: 'region' } }}
    >
      <Table striped highlightOnHover verticalSpacing="sm" data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {headers.map((header) => (
              <Table.Th key={header} scope="col">
                {header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** An import's status as a coloured word. */
export function StatusBadge({ status }: { status: ImportRun['status'] }) {
  const { t } = useTranslation();
  const color = status === 'done' ? 'civic' : status === 'failed' ? 'red' : 'blue';
  return (
    <Badge color={color} variant="light" size="lg">
      {t(`visitImports.status.${status}`)}
    </Badge>
  );
}
