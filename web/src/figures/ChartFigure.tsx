import { Button, Group, Paper, Text, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FiguresColumn, FiguresTable } from './FiguresTable';
import classes from './figures.module.css';

interface ChartFigureProps<T> {
  id: string;
  title: string;
  /** One sentence saying what the chart shows, for everyone. */
  summary?: string;
  chart: ReactNode;
  columns: FiguresColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  headingLevel?: 2 | 3;
}

/**
 * A chart with its text alternative: the same figures as a table, which screen readers always
 * read (the chart itself is hidden from them) and anyone can show on screen with the button.
 */
export function ChartFigure<T>({
  id,
  title,
  summary,
  chart,
  columns,
  rows,
  rowKey,
  headingLevel = 2,
}: ChartFigureProps<T>) {
  const { t } = useTranslation();
  const [showTable, setShowTable] = useState(false);
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-labelledby={`${id}-title`}
      data-testid={id}
    >
      <Group justify="space-between" align="flex-start" gap="xs">
        <Title order={headingLevel} size="h4" id={`${id}-title`}>
          {title}
        </Title>
        <Button
          variant="default"
          size="xs"
          mih="2.25rem"
          onClick={() => setShowTable((shown) => !shown)}
        >
          {showTable ? t('figures.showChart') : t('figures.showTable')}
        </Button>
      </Group>
      {summary && (
        <Text size="sm" mt={4} c="gray.8">
          {summary}
        </Text>
      )}
      {!showTable && (
        <div className={classes.chart} aria-hidden="true">
          {chart}
        </div>
      )}
      <FiguresTable
        caption={title}
        columns={columns}
        rows={rows}
        rowKey={rowKey}
        visible={showTable}
        captionHidden
      />
    </Paper>
  );
}
