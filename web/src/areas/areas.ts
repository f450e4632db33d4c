/**
 * The areas of CivicPoints, each under its own path. They open in later releases; for now each
 * has a layout and a short landing text, so routes and links are stable from the start.
 */
export const AREAS = ['resident', 'staff', 'pos', 'partner', 'public'] as const;
export type Area = (typeof AREAS)[number];
