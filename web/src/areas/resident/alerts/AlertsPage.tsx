import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  Loader,
  Paper,
  Radio,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../../api/client';
import { useMunicipalities } from '../../../api/endpoints';
import type { Me } from '../../../api/types';
import { ErrorState } from '../../../components/ErrorState';
import { AlertIcon } from '../../../components/icons';
import { LoadingState } from '../../../components/LoadingState';
import { useDocumentTitle } from '../../../components/useDocumentTitle';
import { intlLocale } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import earn from '../earn/earn.module.css';
import { SignedInOnly } from '../SignedInOnly';
import {
  type AreaAlert,
  type AreaAlertInput,
  createAlert,
  stopAlert,
  useMyAlerts,
} from './alertsApi';

/** `/resident/alerts`: the areas the resident follows for new tasks and reports, and a form to add one. */
export function AlertsPage() {
  const { t } = useTranslation();
  return (
    <SignedInOnly loadingLabel={t('alerts.loading')}>
      {(me) => <SignedInAlerts me={me} />}
    </SignedInOnly>
  );
}

function SignedInAlerts({ me }: { me: Me }) {
  const { t } = useTranslation();
  useDocumentTitle(t('alerts.title'));
  const alerts = useMyAlerts();
  return (
    <Stack gap="lg" className={earn.narrow} data-testid="alerts-page">
      <Anchor component={Link} to="/resident" className={earn.back}>
        {t('earn.back')}
      </Anchor>
      <div>
        <Title order={1}>{t('alerts.title')}</Title>
        <Text size="lg" mt="xs" className={earn.description}>
          {t('alerts.intro')}
        </Text>
      </div>
      {alerts.status === 'loading' && <LoadingState label={t('alerts.loading')} />}
      {alerts.status === 'error' && <ErrorState error={alerts.error} onRetry={alerts.retry} />}
      {alerts.status === 'ready' && (
        <AlertList alerts={alerts.data.items} onChange={alerts.retry} />
      )}
      {/* Outside the list's loading state, so its "done" message stays while the list reloads. */}
      <NewAlertForm me={me} onCreated={alerts.retry} />
    </Stack>
  );
}

function AlertList({ alerts, onChange }: { alerts: AreaAlert[]; onChange: () => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const stop = async (id: string) => {
    setBusy(id);
    setFailed(false);
    try {
      await stopAlert(id);
      onChange();
    } catch {
      setFailed(true);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section aria-labelledby="alerts-list-title">
      <Title order={2} size="h3" id="alerts-list-title" mb="sm">
        {t('alerts.listTitle')}
      </Title>
      {failed && (
        <Alert role="alert" color="red" variant="light" icon={<AlertIcon />} mb="sm">
          {t('alerts.stopFailed')}
        </Alert>
      )}
      {alerts.length === 0 ? (
        <Text data-testid="alerts-empty">{t('alerts.empty')}</Text>
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {alerts.map((alert) => (
            <Paper
              key={alert.id}
              component="li"
              withBorder
              radius="lg"
              p="md"
              data-testid="alert-item"
            >
              <AlertSummary alert={alert} id={`alert-${alert.id}`} />
              <Button
                variant="default"
                mt="sm"
                size="md"
                loading={busy === alert.id}
                onClick={() => void stop(alert.id)}
                aria-describedby={`alert-${alert.id}`}
              >
                {t('alerts.stop')}
              </Button>
            </Paper>
          ))}
        </Stack>
      )}
    </section>
  );
}

function areaText(alert: AreaAlert, t: TFunction, names?: Map<string, string>): string {
  if (alert.area.kind === 'municipality') {
    const name = names?.get(alert.area.municipalitySlug) ?? alert.area.municipalitySlug;
    return t('alerts.area.municipality', { name });
  }
  const radius = alert.area.radiusM;
  return radius >= 1000
    ? t('alerts.area.circleKm', { km: radius / 1000 })
    : t('alerts.area.circleM', { m: radius });
}

function AlertSummary({ alert, id }: { alert: AreaAlert; id: string }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const municipalities = useMunicipalities();
  const names = new Map(
    municipalities.status === 'ready'
      ? municipalities.data.items.map((m) => [m.slug, m.names[locale]])
      : [],
  );
  const what =
    alert.tasks && alert.reports
      ? t('alerts.what.both')
      : alert.tasks
        ? t('alerts.what.tasks')
        : t('alerts.what.reports');
  const coordinate = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 4 });
  return (
    <div id={id}>
      <Text fw={700}>{areaText(alert, t, names)}</Text>
      {alert.area.kind === 'circle' && (
        <Text size="sm" c="dimmed">
          {t('alerts.around', {
            latitude: coordinate.format(alert.area.latitude),
            longitude: coordinate.format(alert.area.longitude),
          })}
        </Text>
      )}
      <Text>
        {what} · {t(`alerts.frequency.${alert.frequency}`)}
      </Text>
    </div>
  );
}

type Where = 'own' | 'other' | 'near';
const RADII = [500, 1000, 2000, 5000] as const;

function NewAlertForm({ me, onCreated }: { me: Me; onCreated: () => void }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const municipalities = useMunicipalities();
  const [where, setWhere] = useState<Where>('own');
  const [other, setOther] = useState<string | null>(null);
  const [radius, setRadius] = useState<string>('1000');
  const [position, setPosition] = useState<{ latitude: number; longitude: number } | null>(null);
  const [finding, setFinding] = useState(false);
  const [tasks, setTasks] = useState(true);
  const [reports, setReports] = useState(true);
  const [frequency, setFrequency] = useState<'daily' | 'weekly'>('weekly');
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState(false);

  const findMe = () => {
    if (!('geolocation' in navigator)) {
      setProblem(t('alerts.errors.noLocation'));
      return;
    }
    setFinding(true);
    setProblem(null);
    navigator.geolocation.getCurrentPosition(
      (found) => {
        setFinding(false);
        setPosition({ latitude: found.coords.latitude, longitude: found.coords.longitude });
      },
      () => {
        setFinding(false);
        setProblem(t('alerts.errors.noLocation'));
      },
      { timeout: 20_000, maximumAge: 60_000 },
    );
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    if (!tasks && !reports) return setProblem(t('alerts.errors.nothing'));
    if (where === 'other' && !other) return setProblem(t('alerts.errors.municipality'));
    if (where === 'near' && !position) return setProblem(t('alerts.errors.noLocation'));
    const area: AreaAlertInput['area'] =
      where === 'near' && position
        ? { kind: 'circle', ...position, radiusM: Number(radius) }
        : { kind: 'municipality', ...(where === 'other' && other ? { municipality: other } : {}) };
    setSaving(true);
    setProblem(null);
    try {
      await createAlert({ area, tasks, reports, frequency });
      setDone(true);
      onCreated();
    } catch (error) {
      const code = error instanceof ApiError ? error.code : null;
      setProblem(
        code === 'area_alert_limit_reached'
          ? t('alerts.errors.limit')
          : code === 'outside_region'
            ? t('alerts.errors.outside')
            : t('alerts.errors.failed'),
      );
    } finally {
      setSaving(false);
    }
  };

  const others =
    municipalities.status === 'ready'
      ? municipalities.data.items
          .filter((m) => m.id !== me.municipalityId)
          .map((m) => ({ value: m.slug, label: m.names[locale] }))
      : [];

  return (
    <Paper withBorder radius="lg" p="lg" component="section" aria-labelledby="new-alert-title">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          <Title order={2} size="h3" id="new-alert-title">
            {t('alerts.newTitle')}
          </Title>
          <Radio.Group
            label={t('alerts.whereLabel')}
            value={where}
            onChange={(value) => setWhere(value as Where)}
          >
            <Stack gap="xs" mt="xs">
              <Radio value="own" label={t('alerts.where.own')} />
              <Radio value="other" label={t('alerts.where.other')} />
              <Radio value="near" label={t('alerts.where.near')} />
            </Stack>
          </Radio.Group>
          {where === 'other' && (
            <Select
              label={t('alerts.municipalityLabel')}
              data={others}
              value={other}
              onChange={setOther}
              searchable
            />
          )}
          {where === 'near' && (
            <Stack gap="xs">
              <Group gap="sm">
                <Button variant="light" size="md" onClick={findMe} disabled={finding}>
                  {t('alerts.useLocation')}
                </Button>
                {finding && <Loader size="sm" aria-label={t('alerts.finding')} />}
              </Group>
              {position && (
                <Text role="status" data-testid="alert-location">
                  {t('alerts.locationAdded')}
                </Text>
              )}
              <Select
                label={t('alerts.radiusLabel')}
                data={RADII.map((r) => ({
                  value: String(r),
                  label:
                    r >= 1000
                      ? t('alerts.area.circleKm', { km: r / 1000 })
                      : t('alerts.area.circleM', { m: r }),
                }))}
                value={radius}
                onChange={(value) => setRadius(value ?? '1000')}
                allowDeselect={false}
              />
            </Stack>
          )}
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ padding: 0 }}>
              <Text component="span" size="sm" fw={700}>
                {t('alerts.whatLabel')}
              </Text>
            </legend>
            <Stack gap="xs" mt="xs">
              <Checkbox
                label={t('alerts.what.tasks')}
                checked={tasks}
                onChange={(e) => setTasks(e.currentTarget.checked)}
              />
              <Checkbox
                label={t('alerts.what.reports')}
                checked={reports}
                onChange={(e) => setReports(e.currentTarget.checked)}
              />
            </Stack>
          </fieldset>
          <Radio.Group
            label={t('alerts.frequencyLabel')}
            value={frequency}
            onChange={(value) => setFrequency(value as 'daily' | 'weekly')}
          >
            <Stack gap="xs" mt="xs">
              <Radio value="daily" label={t('alerts.frequency.daily')} />
              <Radio value="weekly" label={t('alerts.frequency.weekly')} />
            </Stack>
          </Radio.Group>
          {problem && (
            <Alert role="alert" color="red" variant="light" icon={<AlertIcon />}>
              {problem}
            </Alert>
          )}
          {done && (
            <Alert role="status" color="green" variant="light" data-testid="alert-created">
              {t('alerts.created')}
            </Alert>
          )}
          <Button type="submit" size="md" loading={saving} style={{ alignSelf: 'flex-start' }}>
            {t('alerts.follow')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
