import type { Static } from 'typebox';
import type { DataExportSchema } from './privacy.schemas.js';

/** Everything about one resident, as they download it (GET /api/me/export). */
export type DataExport = Static<typeof DataExportSchema>;
