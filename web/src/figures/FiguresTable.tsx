import { Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import classes from './figures.module.css';

export interface FiguresColumn<T> {
  key: string;
  label: string;
  render: (row: T) => ReactNode;
  numeric?: boolean;
}

interface FiguresTableProps<T> {
  caption: string;
  columns: FiguresColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  /** Whether the table is on screen; a hidden one (for screen readers) takes no keyboard focus. */
  visible?: boolean;
  /** Keep the caption for screen readers only (when a heading above says the same). */
  captionHidden?: boolean;
  testId?: string;
}

/** A plain table of figures: the text alternative of a chart, or a list of figures itself. */
export function FiguresTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  visible = true,
  captionHidden = false,
  testId,
}: FiguresTableProps<T>) {
  const { t } = useTranslation();
  const table = (
    <Table striped verticalSpacing={6} horizontalSpacing="sm" data-testid={testId}>
      <caption className={captionHidden ? classes.visuallyHidden : classes.caption}>
        {caption}
      </caption>
      <Table.Thead>
        <Table.Tr>
          {columns.map((c) => (
            <Table.Th
              key={c.key}
              scope="col"
              className={c.numeric ? classes.numericHeading : undefined}
            >
              {c.label}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.length === 0 ? (
          <Table.Tr>
            <Table.Td colSpan={columns.length}>{t('figures.empty')}</Table.Td>
          </Table.Tr>
        ) : (
          rows.map((row) => (
            <Table.Tr key={rowKey(row)}>
              {columns.map((c, i) =>
                i === 0 ? (
                  <Table.Th key={c.key} scope="row" fw={600}>
                    {c.render(row)}
                  </Table.Th>
                ) : (
                  <Table.Td key={c.key} className={c.numeric ? classes.numeric : undefined}>
                    {c.render(row)}
                  </Table.Td>
                ),
              )}
            </Table.Tr>
          ))
        )}
      </Table.Tbody>
    </Table>
  );
  if (!visible) return <div className={classes.visuallyHidden}>{table}</div>;
  return (
    // Its own scroll on narrow screens; focusable, so the keyboard can scroll it too.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
    <section className={classes.scroll} tabIndex={0} aria-label={caption}>
      {table}
    </section>
  );
}
