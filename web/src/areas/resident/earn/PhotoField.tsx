import { Button, FileButton, Progress, Stack, Text } from '@mantine/core';
import { type Ref, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import type { ClaimDraft } from './claimDraft';
import classes from './earn.module.css';
import { MAX_PHOTO_BYTES, ownPhotoUrl, uploadClaimPhoto } from './earnApi';
import type { Need } from './earnRules';

type Photo = NonNullable<ClaimDraft['photo']>;

const PHOTO_ERRORS = [
  'photo_too_large',
  'photo_not_an_image',
  'photo_heic_unsupported',
  'photo_too_many_pixels',
  'photo_unreadable',
  'signedOut',
  'network',
  'server',
] as const;
type PhotoError = (typeof PHOTO_ERRORS)[number];

function photoErrorOf(error: unknown): PhotoError {
  if (!(error instanceof ApiError) || error.kind === 'network') return 'network';
  if (error.status === 401) return 'signedOut';
  if (error.status === 413) return 'photo_too_large';
  if (error.status === 415 && error.code !== 'photo_heic_unsupported') return 'photo_not_an_image';
  const code = error.code as PhotoError | null;
  return code && (PHOTO_ERRORS as readonly string[]).includes(code) ? code : 'server';
}

/**
 * The photo of a claim: taken with the camera (or chosen), sent at once with its progress, and
 * shown; a failed upload says why and can be tried again with the same picture.
 */
export function PhotoField({
  photo,
  need,
  error,
  onChange,
  onBusyChange,
  buttonRef,
  name = 'photo',
  label,
  hint,
}: {
  photo: Photo | null;
  need: Exclude<Need, 'none'>;
  /** What the last send said about the photo. */
  error?: string;
  onChange: (photo: Photo | null) => void;
  onBusyChange: (busy: boolean) => void;
  buttonRef?: Ref<HTMLButtonElement>;
  /** Names its ids and test ids (`<name>-hint`, `<name>-added`…): two on a page need two names. */
  name?: string;
  /** The legend and the hint, when not a claim's ("Photo", "A photo helps us check it"). */
  label?: string;
  hint?: string;
}) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [failure, setFailure] = useState<PhotoError | null>(null);
  const [lastFile, setLastFile] = useState<File | null>(null);
  const controller = useRef<AbortController | null>(null);
  const resetCamera = useRef<() => void>(null);
  const resetFile = useRef<() => void>(null);

  useEffect(() => () => controller.current?.abort(), []);
  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview);
    },
    [preview],
  );

  const upload = async (file: File) => {
    controller.current?.abort();
    setLastFile(file);
    setFailure(null);
    onChange(null);
    setPreview(URL.createObjectURL(file));
    if (file.size > MAX_PHOTO_BYTES) {
      setFailure('photo_too_large');
      return;
    }
    const abort = new AbortController();
    controller.current = abort;
    setProgress(0);
    onBusyChange(true);
    try {
      const uploaded = await uploadClaimPhoto(file, setProgress, abort.signal);
      onChange({ id: uploaded.id, width: uploaded.width, height: uploaded.height });
    } catch (caught) {
      if (abort.signal.aborted) return;
      setFailure(photoErrorOf(caught));
    } finally {
      if (!abort.signal.aborted) {
        setProgress(null);
        onBusyChange(false);
      }
    }
  };

  const choose = (file: File | null) => {
    resetCamera.current?.();
    resetFile.current?.();
    if (file) void upload(file);
  };

  const remove = () => {
    controller.current?.abort();
    setProgress(null);
    onBusyChange(false);
    setFailure(null);
    setLastFile(null);
    setPreview(null);
    onChange(null);
  };

  const shown = preview ?? (photo ? ownPhotoUrl(photo.id) : null);
  const message = failure ? t(`earn.form.photo.errors.${failure}`) : error;
  const uploading = progress !== null;
  return (
    <fieldset
      className={`${classes.evidence} ${message ? classes.evidenceInvalid : ''}`}
      aria-describedby={`${name}-hint`}
      data-testid={`${name}-field`}
    >
      <legend>
        <Text fw={700} component="span">
          {label ?? t('earn.form.photo.label')}
        </Text>
      </legend>
      <Stack gap="sm">
        <Text id={`${name}-hint`} className={classes.description}>
          {hint ??
            (need === 'required' ? t('earn.form.photo.required') : t('earn.form.photo.optional'))}
        </Text>
        {shown && (
          <img
            src={shown}
            alt={t('earn.form.photo.alt')}
            className={classes.preview}
            data-testid={`${name}-preview`}
          />
        )}
        {uploading && (
          <div>
            <Progress
              value={Math.round(progress * 100)}
              size="lg"
              radius="xl"
              aria-label={t('earn.form.photo.uploading')}
              animated
            />
            <Text role="status" mt={4}>
              {t('earn.form.photo.progress', { percent: Math.round(progress * 100) })}
            </Text>
          </div>
        )}
        {photo && !uploading && (
          <Text role="status" className={classes.done} data-testid={`${name}-added`}>
            {t('earn.form.photo.added')}
          </Text>
        )}
        {message && (
          <Text role="alert" className={classes.fieldError} data-testid={`${name}-error`}>
            {message}
          </Text>
        )}
        {failure && lastFile && failure !== 'photo_too_large' && (
          <Button
            variant="filled"
            size="md"
            className={classes.wrap}
            classNames={{ label: classes.wrapLabel }}
            onClick={() => void upload(lastFile)}
          >
            {t('earn.form.photo.retry')}
          </Button>
        )}
        <Stack gap="sm">
          <FileButton
            onChange={choose}
            accept="image/*"
            capture="environment"
            resetRef={resetCamera}
            inputProps={
              { 'aria-hidden': true, tabIndex: -1, 'data-testid': `${name}-camera` } as object
            }
          >
            {(props) => (
              <Button
                {...props}
                ref={buttonRef}
                size="md"
                variant={photo ? 'default' : 'filled'}
                className={classes.wrap}
                classNames={{ label: classes.wrapLabel }}
                disabled={uploading}
              >
                {photo || shown ? t('earn.form.photo.takeAgain') : t('earn.form.photo.take')}
              </Button>
            )}
          </FileButton>
          <FileButton
            onChange={choose}
            accept="image/*"
            resetRef={resetFile}
            inputProps={
              { 'aria-hidden': true, tabIndex: -1, 'data-testid': `${name}-file` } as object
            }
          >
            {(props) => (
              <Button
                {...props}
                size="md"
                variant="default"
                className={classes.wrap}
                classNames={{ label: classes.wrapLabel }}
                disabled={uploading}
              >
                {t('earn.form.photo.choose')}
              </Button>
            )}
          </FileButton>
        </Stack>
        {(shown || uploading) && (
          <Button
            variant="subtle"
            color="red"
            c="red.9"
            size="md"
            className={classes.wrap}
            classNames={{ label: classes.wrapLabel }}
            onClick={remove}
          >
            {t('earn.form.photo.remove')}
          </Button>
        )}
      </Stack>
    </fieldset>
  );
}
