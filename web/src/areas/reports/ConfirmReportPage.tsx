import { Alert, Button, Container, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { confirmReport, type PublicReport } from './reportsApi';

type State =
  | { status: 'working' }
  | { status: 'done'; report: PublicReport }
  | { status: 'failed'; code: 'invalid' | 'expired' | 'network' };

/** `/reports/confirm#token=…`: a visitor's emailed link confirms their report, once. */
export function ConfirmReportPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('reports.confirm.title'));
  const [state, setState] = useState<State>({ status: 'working' });
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
    history.replaceState(null, '', window.location.pathname);
    if (!token) {
      setState({ status: 'failed', code: 'invalid' });
      return;
    }
    confirmReport(token).then(
      (report) => setState({ status: 'done', report }),
      (error: unknown) =>
        setState({
          status: 'failed',
          code:
            error instanceof ApiError && error.code === 'confirm_token_expired'
              ? 'expired'
              : error instanceof ApiError && error.kind !== 'network'
                ? 'invalid'
                : 'network',
        }),
    );
  }, []);
  return (
    <Container size="sm" py="xl">
      <Stack gap="md">
        <Title order={1}>{t('reports.confirm.title')}</Title>
        {state.status === 'working' && <LoadingState label={t('reports.confirm.working')} />}
        {state.status === 'done' && (
          <>
            <Text role="status">{t('reports.confirm.done')}</Text>
            <Button component={Link} to={`/reports/${state.report.id}`} size="md">
              {t('reports.sent.view')}
            </Button>
          </>
        )}
        {state.status === 'failed' && (
          <Alert color="red" role="alert">
            {t(`reports.confirm.${state.code}`)}
          </Alert>
        )}
      </Stack>
    </Container>
  );
}
