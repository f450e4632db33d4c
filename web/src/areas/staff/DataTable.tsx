import { Table, UnstyledButton } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import classes from './staff.module.css';

export interface Column<T> {
  key: string;
  label: string;
  render: (row: T) => ReactNode;
  /** What the column sorts by; a column without it cannot be sorted. */
  sortValue?: (row: T) => string | number;
  numeric?: boolean;
}

interface DataTableProps<T> {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  initialSort?: { key: string; direction: 'ascending' | 'descending' };
  testId?: string;
  minWidth?: number;
}

/**
 * A dense table for desks: a caption, sortable column headers (buttons with aria-sort on the
 * header cell) and a horizontal scroll of its own on narrow screens.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  initialSort,
  testId,
  minWidth = 640,
}: DataTableProps<T>) {
  const { t } = useTranslation();
  const [sort, setSort] = useState(initialSort ?? null);
  const column = sort && columns.find((c) => c.key === sort.key);
  const sorted =
    column?.sortValue && sort
      ? [...rows].sort((a, b) => {
          const x = column.sortValue!(a);
          const y = column.sortValue!(b);
          const order =
            typeof x === 'number' && typeof y === 'number'
              ? x - y
              : String(x).localeCompare(String(y));
          return sort.direction === 'ascending' ? order : -order;
        })
      : rows;

  return (
    // Its own scroll on narrow screens; focusable, so the keyboard can scroll it too.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
    <section className={classes.scroll} tabIndex={0} aria-label={caption}>
      <Table
        miw={minWidth}
        striped
        highlightOnHover
        verticalSpacing={6}
        horizontalSpacing="sm"
        data-testid={testId}
      >
        <caption className={classes.caption}>{caption}</caption>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => {
              const active = sort?.key === c.key;
              return (
                <Table.Th
                  key={c.key}
                  scope="col"
                  aria-sort={active ? sort.direction : c.sortValue ? 'none' : undefined}
                  className={c.numeric ? classes.numeric : undefined}
                >
                  {c.sortValue ? (
                    <UnstyledButton
                      className={classes.sortButton}
                      onClick={() =>
                        setSort({
                          key: c.key,
                          direction:
                            active && sort.direction === 'ascending' ? 'descending' : 'ascending',
                        })
                      }
                    >
                      {c.label}
                      <span aria-hidden="true">
                        {active ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
                      </span>
                    </UnstyledButton>
                  ) : (
                    c.label
                  )}
                </Table.Th>
              );
            })}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={columns.length}>{t('staffArea.table.empty')}</Table.Td>
            </Table.Tr>
          ) : (
            sorted.map((row) => (
              <Table.Tr key={rowKey(row)}>
                {columns.map((c) => (
                  <Table.Td key={c.key} className={c.numeric ? classes.numeric : undefined}>
                    {c.render(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </section>
  );
}
