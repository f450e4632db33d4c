import { Button, Group, Loader, Stack, Text } from '@mantine/core';
import { type Ref, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { intlLocale } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import type { ClaimDraft } from './claimDraft';
import classes from './earn.module.css';
import type { Need } from './earnRules';

type Location = NonNullable<ClaimDraft['location']>;
type LocationError = 'denied' | 'unavailable' | 'timeout' | 'unsupported';

/** The device's location for a claim: asked for with one button, shown once it is added. */
export function LocationField({
  location,
  need,
  error,
  onChange,
  buttonRef,
}: {
  location: Location | null;
  need: Exclude<Need, 'none'>;
  error?: string;
  onChange: (location: Location | null) => void;
  buttonRef?: Ref<HTMLButtonElement>;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const [finding, setFinding] = useState(false);
  const [failure, setFailure] = useState<LocationError | null>(null);

  const find = () => {
    if (!('geolocation' in navigator)) {
      setFailure('unsupported');
      return;
    }
    setFinding(true);
    setFailure(null);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setFinding(false);
        onChange({
          latitude: position.coords.latitude,
          longitude: position.coords.longitude,
          accuracy: Number.isFinite(position.coords.accuracy) ? position.coords.accuracy : null,
        });
      },
      (failed) => {
        setFinding(false);
        setFailure(
          failed.code === failed.PERMISSION_DENIED
            ? 'denied'
            : failed.code === failed.TIMEOUT
              ? 'timeout'
              : 'unavailable',
        );
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  };

  const coordinate = new Intl.NumberFormat(intlLocale(locale), {
    minimumFractionDigits: 4,
    maximumFractionDigits: 4,
  });
  const message = failure ? t(`earn.form.location.errors.${failure}`) : error;
  return (
    <fieldset
      className={`${classes.evidence} ${message ? classes.evidenceInvalid : ''}`}
      aria-describedby="location-hint"
      data-testid="location-field"
    >
      <legend>
        <Text fw={700} component="span">
          {t('earn.form.location.label')}
        </Text>
      </legend>
      <Stack gap="sm">
        <Text id="location-hint" className={classes.description}>
          {need === 'required'
            ? t('earn.form.location.required')
            : t('earn.form.location.optional')}
        </Text>
        {finding && (
          <Group gap="xs" role="status">
            <Loader size="sm" aria-hidden="true" />
            <Text>{t('earn.form.location.finding')}</Text>
          </Group>
        )}
        {location && !finding && (
          <div role="status" data-testid="location-added">
            <Text className={classes.done}>{t('earn.form.location.added')}</Text>
            <Text size="sm" className={classes.muted}>
              {t('earn.form.location.where', {
                latitude: coordinate.format(location.latitude),
                longitude: coordinate.format(location.longitude),
              })}
            </Text>
          </div>
        )}
        {message && (
          <Text role="alert" className={classes.fieldError} data-testid="location-error">
            {message}
          </Text>
        )}
        <Button
          ref={buttonRef}
          size="md"
          variant={location ? 'default' : 'filled'}
          className={classes.wrap}
          classNames={{ label: classes.wrapLabel }}
          onClick={find}
          loading={finding}
        >
          {location ? t('earn.form.location.again') : t('earn.form.location.use')}
        </Button>
        {location && (
          <Button
            variant="subtle"
            color="red"
            c="red.9"
            size="md"
            className={classes.wrap}
            classNames={{ label: classes.wrapLabel }}
            onClick={() => onChange(null)}
          >
            {t('earn.form.location.remove')}
          </Button>
        )}
      </Stack>
    </fieldset>
  );
}
