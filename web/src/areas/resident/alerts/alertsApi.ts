import { deleteJson, postJson } from '../../../api/client';
import { useApiResource } from '../../../api/useApiResource';

// Area alerts as the resident's pages use them (docs/alerts.md).

export type AlertArea =
  | { kind: 'municipality'; municipalityId: string; municipalitySlug: string }
  | { kind: 'circle'; latitude: number; longitude: number; radiusM: number };

export interface AreaAlert {
  id: string;
  area: AlertArea;
  tasks: boolean;
  reports: boolean;
  frequency: 'daily' | 'weekly';
  createdAt: string;
  lastSentAt: string | null;
}

export interface AreaAlertInput {
  area:
    | { kind: 'municipality'; municipality?: string }
    | { kind: 'circle'; latitude: number; longitude: number; radiusM: number };
  tasks: boolean;
  reports: boolean;
  frequency: 'daily' | 'weekly';
}

/** The resident's alerts; personal, never kept by the page. */
export function useMyAlerts() {
  return useApiResource<{ items: AreaAlert[] }>('/api/me/area-alerts', { cache: false });
}

export function createAlert(input: AreaAlertInput): Promise<AreaAlert> {
  return postJson<AreaAlert>('/api/me/area-alerts', input);
}

export function stopAlert(alertId: string): Promise<void> {
  return deleteJson(`/api/me/area-alerts/${encodeURIComponent(alertId)}`);
}

/** The one-click unsubscribe of a digest's link (the page asks first: a GET never unsubscribes). */
export function unsubscribe(alertId: string, token: string): Promise<{ unsubscribed: true }> {
  const query = new URLSearchParams({ alert: alertId, token });
  return postJson(`/api/area-alerts/unsubscribe?${query.toString()}`);
}
