import { Button, Group, Modal, NativeSelect, Radio, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiResource } from '../../../api/useApiResource';
import { ErrorState } from '../../../components/ErrorState';
import { LoadingState } from '../../../components/LoadingState';
import { languageName } from '../../../i18n/format';
import { LOCALES, type Locale } from '../../../i18n/locales';
import { useLocale } from '../../../i18n/useLocale';
import classes from '../staff.module.css';
import local from './earning.module.css';
import type { RejectReason, RejectReasonTemplate } from './earningTypes';

interface RejectDialogProps {
  activityName: string;
  busy: boolean;
  onCancel: () => void;
  onReject: (reason: RejectReason, note: string) => void;
}

/**
 * Rejecting a claim: a reason from the municipality's templates (each with the text the resident
 * reads, in a language the reviewer picks to read it in), a note, and the message as it will be
 * sent. Keyboard: the reasons are a radio group (arrows), Enter rejects, Escape goes back.
 */
export function RejectDialog({ activityName, busy, onCancel, onReject }: RejectDialogProps) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const templates = useApiResource<{ items: RejectReasonTemplate[] }>('/api/claims/reject-reasons');
  const [reason, setReason] = useState<RejectReason | null>(null);
  const [note, setNote] = useState('');
  const [previewIn, setPreviewIn] = useState<Locale>(locale);
  const [missing, setMissing] = useState(false);
  const firstReason = useRef<HTMLInputElement>(null);
  const ready = templates.status === 'ready';

  // The reasons take the focus once they are there, so the arrows choose at once (the dialog
  // would otherwise start on its close button).
  useEffect(() => {
    if (!ready) return;
    const timer = setTimeout(() => firstReason.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, [ready]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!reason) {
      setMissing(true);
      return;
    }
    onReject(reason, note.trim());
  };
  const chosen =
    templates.status === 'ready' ? templates.data.items.find((i) => i.code === reason) : undefined;

  return (
    <Modal
      opened
      onClose={onCancel}
      size="lg"
      title={t('review.reject.title', { activity: activityName })}
      closeButtonProps={{ 'aria-label': t('staffArea.close') }}
    >
      {templates.status === 'loading' && <LoadingState label={t('review.reject.loading')} />}
      {templates.status === 'error' && (
        <ErrorState error={templates.error} onRetry={templates.retry} />
      )}
      {templates.status === 'ready' && (
        <form onSubmit={submit} noValidate data-testid="reject-form">
          <Stack gap="md">
            <Radio.Group
              label={t('review.reject.reason')}
              description={t('review.reject.reasonHint')}
              value={reason ?? ''}
              onChange={(value) => {
                setReason(value as RejectReason);
                setMissing(false);
              }}
              error={missing ? t('review.reject.reasonMissing') : undefined}
            >
              <Stack gap={8} mt={8}>
                {templates.data.items.map((item, index) => (
                  <Radio
                    key={item.code}
                    value={item.code}
                    label={t(`review.reasons.${item.code}`)}
                    description={item.texts[locale]}
                    ref={index === 0 ? firstReason : undefined}
                    data-autofocus={index === 0 ? true : undefined}
                  />
                ))}
              </Stack>
            </Radio.Group>
            <Textarea
              label={t('review.reject.note')}
              description={t('review.reject.noteHint')}
              autosize
              minRows={2}
              maxLength={1000}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
            />
            <div>
              <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
                <Text fw={600}>{t('review.reject.preview')}</Text>
                <NativeSelect
                  label={t('review.reject.previewIn')}
                  size="xs"
                  value={previewIn}
                  onChange={(event) => setPreviewIn(event.currentTarget.value as Locale)}
                  data={LOCALES.map((l) => ({ value: l, label: languageName(l, locale) }))}
                />
              </Group>
              <Text className={local.preview} mt={6} lang={previewIn} data-testid="reject-preview">
                {chosen
                  ? [chosen.texts[previewIn], note.trim()].filter(Boolean).join(' ')
                  : t('review.reject.previewEmpty')}
              </Text>
            </div>
            <Group justify="flex-end">
              <Button variant="default" onClick={onCancel} className={classes.touch}>
                {t('staffArea.cancel')}
              </Button>
              <Button type="submit" color="red.8" loading={busy} className={classes.touch}>
                {t('review.reject.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
