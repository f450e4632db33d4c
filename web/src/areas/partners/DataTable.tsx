import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/** The staff pages' dense table: column headers, rows, scrolling sideways on narrow screens. */
export function DataTable({
  testId,
  minWidth,
  headers,
  children,
}: {
  testId: string;
  minWidth: number;
  headers: string[];
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={minWidth} my="md">
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
