/**
 * The areas of CivicPoints, each under its own path. The resident and staff areas are open; the
 * others open with later releases and show a short landing text until then, so routes and links
 * are stable from the start.
 */
export const AREAS = ['resident', 'staff', 'pos', 'partner', 'public'] as const;
export type Area = (typeof AREAS)[number];
