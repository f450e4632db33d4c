import type { AlertSource } from '../alerts/alerts.types.js';
import { findCategoriesByIds, listConfirmedBetween } from './reports.repository.js';

/**
 * New reports for area alerts' digests: public reports confirmed in the period, named by their
 * category (a digest never quotes a resident's description).
 */
export const reportsAlertSource: AlertSource = {
  kind: 'report',
  async listNew(ctx, query) {
    const rows = await listConfirmedBetween(ctx.db, query);
    const categories = await findCategoriesByIds(ctx.db, [
      ...new Set(rows.map((row) => row.category_id)),
    ]);
    return rows.flatMap((row) => {
      const category = categories.get(row.category_id);
      if (!category) return [];
      return [
        {
          kind: 'report' as const,
          id: row.id,
          municipalityId: row.municipality_id,
          latitude: row.latitude,
          longitude: row.longitude,
          titles: category.names,
          createdAt: new Date(row.confirmed_at!).toISOString(),
          path: `/reports/${row.id}`,
        },
      ];
    });
  },
};
