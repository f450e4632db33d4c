import { Alert, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Municipality } from '../../api/types';
import { AlertIcon } from '../../components/icons';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { can, type StaffPermission } from './access';
import { useStaff } from './staffContext';

interface StaffGateProps {
  title: string;
  permission: StaffPermission;
  /** The page, given the municipality it acts on (all but region pages need one). */
  children: (municipality: Municipality) => ReactNode;
}

/** A staff page's heading, and its content only for those whose roles allow it. */
export function StaffGate({ title, permission, children }: StaffGateProps) {
  const { t } = useTranslation();
  const { me, municipality } = useStaff();
  useDocumentTitle(title);
  let body: ReactNode;
  if (!can(me.user, permission)) {
    body = (
      <Alert
        role="alert"
        color="red"
        variant="light"
        icon={<AlertIcon />}
        data-testid="not-allowed"
      >
        {t('staffArea.notAllowed')}
      </Alert>
    );
  } else if (!municipality) {
    body = (
      <Alert color="notice" variant="light" icon={<AlertIcon />}>
        {t('staffArea.noMunicipality')}
      </Alert>
    );
  } else {
    body = children(municipality);
  }
  return (
    <Stack gap="lg">
      <Title order={1}>{title}</Title>
      {body}
    </Stack>
  );
}
