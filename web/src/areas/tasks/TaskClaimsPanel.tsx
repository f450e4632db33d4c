import { Alert, Badge, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { postJson } from '../../api/client';
import type { Municipality } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useLocale } from '../../i18n/useLocale';
import mapClasses from '../../map/map.module.css';
import { can } from '../staff/access';
import { formatDateTime } from '../staff/format';
import { municipalityPath, useStaff } from '../staff/staffContext';
import { useFreshResource } from '../staff/useList';
import type { Task, TaskClaim } from './tasksApi';

/**
 * The claims on one task for staff: who holds which place, the completions with their proof
 * photos and what the checks flagged, and (reviewers) approve or reject those in review.
 */
export function TaskClaimsPanel({
  municipality,
  taskId,
  onDecided,
}: {
  municipality: Municipality;
  taskId: string;
  onDecided: () => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const base = municipalityPath(municipality);
  const detail = useFreshResource<{ task: Task; claims: TaskClaim[] }>(
    `${base}/tasks/${encodeURIComponent(taskId)}`,
  );
  if (detail.status === 'loading') return <LoadingState label={t('staffTasks.loading')} />;
  if (detail.status === 'error') return <ErrorState error={detail.error} onRetry={detail.reload} />;
  const { task, claims } = detail.data;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="claims-title">
      <Stack gap="sm">
        <Title order={2} size="h3" id="claims-title">
          {t('staffTasks.claims.title', { title: task.title[locale] })}
        </Title>
        {claims.length === 0 && <Text>{t('staffTasks.claims.none')}</Text>}
        <ul className={mapClasses.list} data-testid="task-claims">
          {claims.map((claim) => (
            <ClaimItem
              key={claim.id}
              claim={claim}
              base={base}
              onDecided={() => {
                detail.reload();
                onDecided();
              }}
            />
          ))}
        </ul>
      </Stack>
    </Paper>
  );
}

function ClaimItem({
  claim,
  base,
  onDecided,
}: {
  claim: TaskClaim;
  base: string;
  onDecided: () => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { me } = useStaff();
  const [note, setNote] = useState('');
  const [failed, setFailed] = useState(false);
  const claimPath = `${base}/task-claims/${encodeURIComponent(claim.id)}`;
  const photos = [...(claim.proof?.beforePhotoIds ?? []), ...(claim.proof?.afterPhotoIds ?? [])];
  const decide = async (decision: 'approve' | 'reject') => {
    setFailed(false);
    try {
      await postJson(`${claimPath}/decision`, { decision, ...(note.trim() && { note }) });
      onDecided();
    } catch {
      setFailed(true);
    }
  };
  return (
    <li className={mapClasses.item} data-claim={claim.id}>
      <Stack gap={6}>
        <Group gap="sm">
          <Text fw={700}>{t('staffTasks.claims.place', { number: claim.slotNumber })}</Text>
          <Badge variant="light">
            {t(`staffTasks.claimStatus.${claim.outcome ?? claim.status}`)}
          </Badge>
          <Text size="sm">{formatDateTime(claim.completedAt ?? claim.claimedAt, locale)}</Text>
        </Group>
        {(claim.proof?.flags ?? []).map((flag) => (
          <Text key={flag.code} size="sm" c="red.9">
            {t(`staffTasks.flags.${flag.code}`, { defaultValue: flag.code })}
          </Text>
        ))}
        <Group gap="sm">
          {photos.map((photoId) => (
            <img
              key={photoId}
              src={`${claimPath}/photos/${encodeURIComponent(photoId)}`}
              alt={t('staffTasks.claims.photo')}
              className={mapClasses.photo}
            />
          ))}
        </Group>
        {claim.outcome === 'review' && can(me.user, 'tasks.review') && (
          <>
            <Textarea
              label={t('staffTasks.claims.note')}
              value={note}
              autosize
              minRows={1}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            <Group gap="sm">
              <Button onClick={() => void decide('approve')}>
                {t('staffTasks.claims.approve')}
              </Button>
              <Button variant="default" onClick={() => void decide('reject')}>
                {t('staffTasks.claims.reject')}
              </Button>
            </Group>
          </>
        )}
        {failed && (
          <Alert color="red" role="alert">
            {t('staffTasks.errors.status')}
          </Alert>
        )}
      </Stack>
    </li>
  );
}
