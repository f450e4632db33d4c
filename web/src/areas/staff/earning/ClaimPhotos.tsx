import { Loader, Modal, Stack, Text, UnstyledButton } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import local from './earning.module.css';
import { fetchImage } from './earningApi';

type PhotoState = { status: 'loading' } | { status: 'ready'; url: string } | { status: 'error' };

/**
 * The claim's photos, fetched with the staff member's session (the API needs it) and shown from
 * object URLs, which are let go when the claim changes. A photo opens large in a dialog.
 */
export function ClaimPhotos({ claimPath, photoIds }: { claimPath: string; photoIds: string[] }) {
  const { t } = useTranslation();
  const [photos, setPhotos] = useState<Record<string, PhotoState>>({});
  const [large, setLarge] = useState<{ url: string; alt: string } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const urls: string[] = [];
    setPhotos(Object.fromEntries(photoIds.map((id) => [id, { status: 'loading' } as PhotoState])));
    for (const id of photoIds) {
      fetchImage(`${claimPath}/photos/${encodeURIComponent(id)}`, controller.signal).then(
        (blob) => {
          const url = URL.createObjectURL(blob);
          urls.push(url);
          setPhotos((now) => ({ ...now, [id]: { status: 'ready', url } }));
        },
        () => {
          if (!controller.signal.aborted) {
            setPhotos((now) => ({ ...now, [id]: { status: 'error' } }));
          }
        },
      );
    }
    return () => {
      controller.abort();
      for (const url of urls) URL.revokeObjectURL(url);
    };
  }, [claimPath, photoIds]);

  if (photoIds.length === 0) {
    return <Text data-testid="no-photo">{t('review.photos.none')}</Text>;
  }
  return (
    <Stack gap="xs" data-testid="claim-photos">
      {photoIds.map((id, index) => {
        const state = photos[id] ?? { status: 'loading' };
        const alt = t('review.photos.alt', { number: index + 1, total: photoIds.length });
        if (state.status === 'loading') {
          return <Loader key={id} size="sm" aria-label={t('review.photos.loading')} />;
        }
        if (state.status === 'error') {
          return (
            <Text key={id} c="red.9" role="alert">
              {t('review.photos.failed')}
            </Text>
          );
        }
        return (
          <UnstyledButton
            key={id}
            className={local.photoButton}
            onClick={() => setLarge({ url: state.url, alt })}
            aria-label={t('review.photos.open', { number: index + 1 })}
          >
            <img src={state.url} alt={alt} className={local.photo} data-testid="claim-photo" />
          </UnstyledButton>
        );
      })}
      <Text size="sm" c="dimmed">
        {t('review.photos.hint')}
      </Text>
      <Modal
        opened={large !== null}
        onClose={() => setLarge(null)}
        size="xl"
        title={large?.alt}
        closeButtonProps={{ 'aria-label': t('staffArea.close') }}
      >
        {large && <img src={large.url} alt={large.alt} className={local.large} />}
      </Modal>
    </Stack>
  );
}
