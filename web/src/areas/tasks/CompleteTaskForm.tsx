import { Alert, Button, Stack, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { ClaimDraft } from '../resident/earn/claimDraft';
import { LocationField } from '../resident/earn/LocationField';
import { PhotoField } from '../resident/earn/PhotoField';
import { completeTask, type PublicTask } from './tasksApi';

type Photo = NonNullable<ClaimDraft['photo']>;
type Location = NonNullable<ClaimDraft['location']>;

/**
 * "I did it": the proof the task asks for (a photo before, a photo after, where you are), then
 * the completion. Inside the place and the time with fresh photos it is approved at once and
 * the points are paid; otherwise a reviewer looks at it.
 */
export function CompleteTaskForm({ task, onDone }: { task: PublicTask; onDone: () => void }) {
  const { t } = useTranslation();
  const need = task.proofRequired;
  const [before, setBefore] = useState<Photo | null>(null);
  const [after, setAfter] = useState<Photo | null>(null);
  const [location, setLocation] = useState<Location | null>(null);
  const [uploading, setUploading] = useState(0);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const missing =
    (need.beforePhoto && !before) || (need.afterPhoto && !after) || (need.location && !location);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (missing) {
      setProblem(t('tasks.complete.missing'));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await completeTask(task.id, {
        ...(before && { beforePhotoIds: [before.id] }),
        ...(after && { afterPhotoIds: [after.id] }),
        ...(location && { latitude: location.latitude, longitude: location.longitude }),
      });
      onDone();
    } catch (caught) {
      const code = caught instanceof ApiError ? caught.code : null;
      setProblem(
        code === 'task_claim_lapsed' || code === 'task_not_started' || code === 'invalid_input'
          ? t(`tasks.complete.errors.${code}`)
          : caught instanceof ApiError && caught.kind !== 'network'
            ? t('tasks.complete.errors.server')
            : t('tasks.complete.errors.network'),
      );
    } finally {
      setBusy(false);
    }
  };

  const busyChange = (on: boolean) => setUploading((n) => Math.max(0, n + (on ? 1 : -1)));
  return (
    <form onSubmit={submit} noValidate aria-labelledby="complete-title">
      <Stack gap="md">
        <Title order={3} size="h4" id="complete-title">
          {t('tasks.complete.title')}
        </Title>
        {need.beforePhoto && (
          <PhotoField
            name="before-photo"
            label={t('tasks.complete.before')}
            hint={t('tasks.complete.beforeHint')}
            photo={before}
            need="required"
            onChange={setBefore}
            onBusyChange={busyChange}
          />
        )}
        {need.afterPhoto && (
          <PhotoField
            name="after-photo"
            label={t('tasks.complete.after')}
            hint={t('tasks.complete.afterHint')}
            photo={after}
            need="required"
            onChange={setAfter}
            onBusyChange={busyChange}
          />
        )}
        {need.location && (
          <LocationField location={location} need="required" onChange={setLocation} />
        )}
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <Button type="submit" size="lg" loading={busy} disabled={uploading > 0}>
          {t('tasks.complete.submit')}
        </Button>
      </Stack>
    </form>
  );
}
