import type { BoundingBox } from '../../shared/geo-grid.js';
import type { Locale } from '../../shared/locales.js';

/** The area an alert follows: a whole municipality, or a point and a radius. */
export type AlertArea =
  | { kind: 'municipality'; municipalityId: string; municipalitySlug: string }
  | { kind: 'circle'; latitude: number; longitude: number; radiusM: number };

export type AlertFrequency = 'daily' | 'weekly';

/** A resident's area alert, as the resident sees it. */
export interface AreaAlert {
  id: string;
  /** The resident's municipality (the alert is theirs; the area may lie elsewhere). */
  municipalityId: string;
  residentId: string;
  area: AlertArea;
  tasks: boolean;
  reports: boolean;
  frequency: AlertFrequency;
  createdAt: string;
  nextDigestAt: string;
  lastSentAt: string | null;
}

export interface AreaAlertInput {
  /** A municipality of the region by slug (default: the resident's own), or a circle. */
  area:
    | { kind: 'municipality'; municipality?: string }
    | {
        kind: 'circle';
        latitude: number;
        longitude: number;
        radiusM: number;
      };
  tasks: boolean;
  reports: boolean;
  frequency: AlertFrequency;
}

/** Something new in an area: a task or a problem report, with no personal data. */
export interface AlertItem {
  kind: 'task' | 'report';
  id: string;
  municipalityId: string;
  latitude: number;
  longitude: number;
  /** The title (a task) or category name (a report) per language. */
  titles: Record<Locale, string>;
  createdAt: string;
  /** The web page of the item, relative to the public URL (e.g. `/tasks/tsk_…`). */
  path: string;
}

/**
 * Where digests find new items: the tasks and reports modules each offer one. Items created in
 * `(after, until]` in the municipality or the box, oldest first, at most `limit`.
 */
export interface AlertSource {
  kind: AlertItem['kind'];
  listNew(
    ctx: import('../../shared/context.js').ServiceContext,
    query: {
      /** Items of this municipality, or (a circle's alert) items inside this box, any municipality. */
      where: { municipalityId: string } | { box: BoundingBox };
      after: string;
      until: string;
      limit: number;
    },
  ): Promise<AlertItem[]>;
}
