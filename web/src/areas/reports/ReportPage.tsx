import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Container,
  Group,
  NativeSelect,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { useSession } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { intlLocale } from '../../i18n/format';
import { useLocale } from '../../i18n/useLocale';
import { LeafletMap } from '../../map/LeafletMap';
import classes from '../../map/map.module.css';
import type { Bounds } from '../../map/mapTypes';
import { useMunicipalityBounds } from '../../map/useMunicipalityBounds';
import { useMunicipalityChoice } from '../../map/useMunicipalityChoice';
import { PhotoField } from '../resident/earn/PhotoField';
import { AttributeFields } from './AttributeFields';
import { NearbyReports } from './NearbyReports';
import { useReportDraft } from './reportDraft';
import { MAX_DESCRIPTION, type PublicReport, sendReport, useReportCategories } from './reportsApi';

type Field = 'category' | 'location' | 'description' | 'email' | 'photo' | `attr:${string}`;

/** The field of the form an API error pointer (`/attributes/size`, `/latitude`) is about. */
function fieldOf(pointer: string): Field | null {
  const [, first, second] = pointer.split('/');
  if (first === 'attributes' && second) return `attr:${second}`;
  if (first === 'latitude' || first === 'longitude' || first === 'municipality') return 'location';
  if (first === 'photoIds') return 'photo';
  if (first === 'category' || first === 'description' || first === 'email') return first;
  return null;
}

const KNOWN_CODES = [
  'required',
  'too_long',
  'html',
  'not_in_list',
  'number',
  'datetime',
  'email',
] as const;
type KnownCode = (typeof KNOWN_CODES)[number];
const isKnown = (code: string): code is KnownCode =>
  (KNOWN_CODES as readonly string[]).includes(code);

/**
 * "Report a problem" (`/report`), for a signed-in resident or a visitor with an email address:
 * the municipality and category (with the category's questions), the place (a tap on the map,
 * the device's location, or the middle of the map; an address or landmark beside it), the
 * description and, for residents, a photo. Open reports of the same kind nearby are offered
 * first, with "Me too". What is typed is kept for the tab.
 */
export function ReportPage() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  useDocumentTitle(t('reports.form.title'));
  const session = useSession();
  const me = session.state.status === 'signedIn' ? session.state.me : null;
  const [draft, changeDraft, clear] = useReportDraft();
  const [view, setView] = useState<Bounds | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [photoBusy, setPhotoBusy] = useState(false);
  const [finding, setFinding] = useState(false);
  const [sent, setSent] = useState<{ report: PublicReport; needsConfirmation: boolean } | null>(
    null,
  );
  const heading = useRef<HTMLHeadingElement>(null);
  /** Changes the draft and clears the messages of what was changed. */
  const change = (next: Partial<typeof draft>, ...fields: Field[]) => {
    changeDraft(next);
    if (fields.length > 0) {
      setErrors((e) =>
        Object.fromEntries(Object.entries(e).filter(([k]) => !fields.includes(k as Field))),
      );
    }
  };

  const { options: sorted, chosen: municipality } = useMunicipalityChoice(draft.municipality);
  const fit = useMunicipalityBounds(municipality);
  const categories = useReportCategories(municipality);
  const category =
    categories.status === 'ready'
      ? (categories.data.items.find((c) => c.code === draft.category) ?? null)
      : null;
  const coordinate = new Intl.NumberFormat(intlLocale(locale), {
    minimumFractionDigits: 5,
    maximumFractionDigits: 5,
  });

  const locateDevice = () => {
    if (!('geolocation' in navigator)) {
      setErrors((e) => ({ ...e, location: t('reports.form.location.unsupported') }));
      return;
    }
    setFinding(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setFinding(false);
        setErrors(({ location: _, ...rest }) => rest);
        change({ point: { lat: position.coords.latitude, lon: position.coords.longitude } });
      },
      () => {
        setFinding(false);
        setErrors((e) => ({ ...e, location: t('reports.form.location.denied') }));
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!category) found.category = t('reports.form.errors.category');
    if (!draft.point) found.location = t('reports.form.errors.location');
    if (!draft.description.trim()) found.description = t('reports.form.errors.description');
    if (!me && !draft.email.trim()) found.email = t('reports.form.errors.email');
    for (const attribute of category?.attributes ?? []) {
      if (attribute.required && draft.attributes[attribute.code] === undefined) {
        found[`attr:${attribute.code}`] = t('reports.form.errors.required');
      }
    }
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0 || !category || !draft.point) {
      setFailure(t('reports.form.errors.check'));
      return;
    }
    setBusy(true);
    try {
      const attributes = Object.fromEntries(
        Object.entries(draft.attributes).filter(([code]) =>
          category.attributes.some((a) => a.code === code),
        ),
      );
      const result = await sendReport({
        category: category.code,
        latitude: Number(draft.point.lat.toFixed(6)),
        longitude: Number(draft.point.lon.toFixed(6)),
        ...(municipality && { municipality }),
        ...(draft.address.trim() && { address: draft.address.trim() }),
        description: draft.description.trim(),
        ...(Object.keys(attributes).length > 0 && { attributes }),
        ...(me && draft.photo && { photoIds: [draft.photo.id] }),
        ...(me ? { showName: draft.showName } : { email: draft.email.trim() }),
        locale,
      });
      clear();
      setSent(result);
      window.scrollTo(0, 0);
      requestAnimationFrame(() => heading.current?.focus());
    } catch (caught) {
      const error = caught instanceof ApiError ? caught : new ApiError('network', null, null);
      const fromApi: Partial<Record<Field, string>> = {};
      for (const e of error.errors) {
        const field = fieldOf(e.field);
        if (field && !fromApi[field]) {
          fromApi[field] = isKnown(e.code) ? t(`reports.form.errors.codes.${e.code}`) : e.message;
        }
      }
      setErrors(fromApi);
      setFailure(
        error.kind === 'network'
          ? t('reports.form.errors.network')
          : error.code === 'outside_region' || error.code === 'outside_municipality'
            ? t(`reports.form.errors.${error.code}`)
            : error.status === 429
              ? t('reports.form.errors.tooMany')
              : error.kind === 'server'
                ? t('reports.form.errors.server')
                : t('reports.form.errors.check'),
      );
    } finally {
      setBusy(false);
    }
  };

  if (sent) {
    return (
      <Container size="sm" py="xl">
        <Stack gap="md">
          <Title order={1} ref={heading} tabIndex={-1}>
            {sent.needsConfirmation ? t('reports.sent.confirmTitle') : t('reports.sent.title')}
          </Title>
          <Text>{sent.needsConfirmation ? t('reports.sent.confirm') : t('reports.sent.body')}</Text>
          <Group>
            {!sent.needsConfirmation && (
              <Button component={Link} to={`/reports/${sent.report.id}`} size="md">
                {t('reports.sent.view')}
              </Button>
            )}
            {me && (
              <Button component={Link} to="/resident/reports" variant="light" size="md">
                {t('reports.mine.title')}
              </Button>
            )}
            <Button variant="subtle" size="md" onClick={() => setSent(null)}>
              {t('reports.sent.another')}
            </Button>
          </Group>
        </Stack>
      </Container>
    );
  }

  const fieldError = (field: Field) => errors[field];
  const attributeErrors = Object.fromEntries(
    Object.entries(errors)
      .filter(([key]) => key.startsWith('attr:'))
      .map(([key, value]) => [key.slice(5), value as string]),
  );

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <div>
          <Title order={1}>{t('reports.form.title')}</Title>
          <Text mt="xs" maw="44rem">
            {t('reports.form.intro')}
          </Text>
          {!me && session.state.status !== 'loading' && (
            <Text mt="xs">
              {t('reports.form.visitor')}{' '}
              <Anchor component={Link} to="/sign-in">
                {t('nav.signIn')}
              </Anchor>
            </Text>
          )}
        </div>

        <form onSubmit={submit} noValidate>
          <Stack gap="lg">
            <Group gap="lg" align="flex-start" wrap="wrap">
              {sorted.length > 0 && (
                <NativeSelect
                  label={t('reports.form.municipality')}
                  size="md"
                  value={municipality ?? ''}
                  onChange={(e) =>
                    change({ municipality: e.currentTarget.value, category: '', attributes: {} })
                  }
                  data={sorted.map((m) => ({ value: m.slug, label: m.names[locale] }))}
                />
              )}
              {categories.status === 'ready' && (
                <NativeSelect
                  label={t('reports.form.category')}
                  size="md"
                  required
                  value={draft.category}
                  error={fieldError('category')}
                  onChange={(e) =>
                    change({ category: e.currentTarget.value, attributes: {} }, 'category')
                  }
                  data={[
                    { value: '', label: t('reports.form.choose') },
                    ...categories.data.items
                      .filter((c) => c.status === 'active')
                      .sort((a, b) => a.order - b.order)
                      .map((c) => ({ value: c.code, label: c.names[locale] || c.code })),
                  ]}
                  data-testid="category-select"
                />
              )}
            </Group>
            {categories.status === 'loading' && (
              <LoadingState label={t('reports.form.loadingCategories')} />
            )}
            {categories.status === 'error' && (
              <ErrorState error={categories.error} onRetry={categories.retry} />
            )}
            {category && (
              <>
                {category.descriptions[locale] && <Text>{category.descriptions[locale]}</Text>}
                <AttributeFields
                  attributes={category.attributes}
                  values={draft.attributes}
                  errors={attributeErrors}
                  onChange={(code, value) => {
                    const next = { ...draft.attributes };
                    if (value === null) delete next[code];
                    else next[code] = value;
                    change({ attributes: next }, `attr:${code}`);
                  }}
                />
              </>
            )}

            <fieldset className={classes.fieldset} aria-describedby="place-hint">
              <legend>
                <Text fw={700} component="span">
                  {t('reports.form.location.label')}
                </Text>
              </legend>
              <Stack gap="sm">
                <Text id="place-hint" size="sm">
                  {t('reports.form.location.hint')}
                </Text>
                <div className={classes.layout}>
                  <LeafletMap
                    label={t('reports.form.location.map')}
                    fit={fit}
                    onViewChange={setView}
                    picked={draft.point}
                    onPick={(point) => {
                      setErrors(({ location: _, ...rest }) => rest);
                      change({ point });
                    }}
                  />
                  <Stack gap="sm">
                    <div role="status" data-testid="place-status">
                      {draft.point ? (
                        <Text className={classes.kindTask}>
                          {t('reports.form.location.chosen', {
                            latitude: coordinate.format(draft.point.lat),
                            longitude: coordinate.format(draft.point.lon),
                          })}
                        </Text>
                      ) : (
                        <Text>{t('reports.form.location.none')}</Text>
                      )}
                    </div>
                    {fieldError('location') && (
                      <Text role="alert" c="red.9" data-testid="location-error">
                        {fieldError('location')}
                      </Text>
                    )}
                    <Button
                      size="md"
                      variant={draft.point ? 'default' : 'filled'}
                      className={classes.wrap}
                      classNames={{ label: classes.wrapLabel }}
                      loading={finding}
                      onClick={locateDevice}
                    >
                      {t('reports.form.location.useDevice')}
                    </Button>
                    <Button
                      size="md"
                      variant="default"
                      className={classes.wrap}
                      classNames={{ label: classes.wrapLabel }}
                      disabled={!view}
                      onClick={() => {
                        if (!view) return;
                        setErrors(({ location: _, ...rest }) => rest);
                        change({
                          point: {
                            lat: (view.north + view.south) / 2,
                            lon: (view.east + view.west) / 2,
                          },
                        });
                      }}
                    >
                      {t('reports.form.location.useCenter')}
                    </Button>
                    <TextInput
                      size="md"
                      label={t('reports.form.location.address')}
                      description={t('reports.form.location.addressHint')}
                      value={draft.address}
                      maxLength={500}
                      onChange={(e) => change({ address: e.currentTarget.value })}
                    />
                  </Stack>
                </div>
              </Stack>
            </fieldset>

            {category && draft.point && (
              <NearbyReports point={draft.point} category={category.code} signedIn={me !== null} />
            )}

            <Textarea
              label={t('reports.form.description')}
              description={t('reports.form.descriptionHint', { max: MAX_DESCRIPTION })}
              required
              size="md"
              autosize
              minRows={4}
              maxLength={MAX_DESCRIPTION}
              value={draft.description}
              error={fieldError('description')}
              onChange={(e) => change({ description: e.currentTarget.value }, 'description')}
            />

            {me ? (
              <>
                <PhotoField
                  photo={draft.photo}
                  need="optional"
                  error={fieldError('photo')}
                  onChange={(photo) => change({ photo }, 'photo')}
                  onBusyChange={setPhotoBusy}
                />
                <Checkbox
                  size="md"
                  label={t('reports.form.showName')}
                  checked={draft.showName}
                  onChange={(e) => change({ showName: e.currentTarget.checked })}
                />
              </>
            ) : (
              <TextInput
                type="email"
                autoComplete="email"
                size="md"
                required
                label={t('reports.form.email')}
                description={t('reports.form.emailHint')}
                value={draft.email}
                error={fieldError('email')}
                onChange={(e) => change({ email: e.currentTarget.value }, 'email')}
              />
            )}

            <Text size="sm">{t('reports.form.privacy')}</Text>

            {failure && (
              <Alert color="red" role="alert" title={t('reports.form.notSent')}>
                {failure}
              </Alert>
            )}
            <Group>
              <Button
                type="submit"
                size="lg"
                loading={busy}
                disabled={photoBusy}
                className={classes.wrap}
                classNames={{ label: classes.wrapLabel }}
              >
                {t('reports.form.send')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Container>
  );
}
