// Shapes of the visit imports API (see src/modules/claims/visit-imports.schemas.ts) the pages read.

export interface ImportRun {
  id: string;
  municipalityId: string;
  partnerId: string | null;
  kind: 'visits';
  fileName: string;
  status: 'running' | 'done' | 'failed';
  rowsTotal: number;
  rowsDone: number;
  awarded: number;
  waiting: number;
  alreadyImported: number;
  problems: number;
  points: number;
  error: { code: string; message: string } | null;
  startedBy: { kind: string; id: string };
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface ImportProblem {
  line: number;
  reason: string;
  message: string;
  visitId: string | null;
  stream: string | null;
}

export interface ImportRunDetail {
  run: ImportRun;
  problems: { items: ImportProblem[]; total: number; offset: number };
}

/** The columns a visits file names on its first line (the same in every language). */
export const VISIT_COLUMNS = ['visit_id', 'member_code', 'visited_at', 'stream', 'kg'] as const;

/** Why a row earned nothing: each has a text in every language (visitImports.reasons). */
export const PROBLEM_REASONS = [
  'missing_value',
  'bad_visit_id',
  'bad_date',
  'bad_stream',
  'bad_number',
  'unknown_stream',
  'unknown_resident',
  'duplicate_visit',
  'activity_closed',
  'limit_reached',
  'claim_waiting',
  'cooldown',
  'budget_spent',
  'yearly_cap_reached',
] as const;
export type ProblemReason = (typeof PROBLEM_REASONS)[number];

export const isProblemReason = (reason: string): reason is ProblemReason =>
  (PROBLEM_REASONS as readonly string[]).includes(reason);

/** Why a whole file was refused: each has a text in every language (visitImports.fileErrors). */
export const FILE_ERRORS = [
  'csv_columns',
  'csv_malformed',
  'csv_empty',
  'file_too_large',
  'partner_inactive',
] as const;
export type FileError = (typeof FILE_ERRORS)[number];

export const isFileError = (code: string | null): code is FileError =>
  code !== null && (FILE_ERRORS as readonly string[]).includes(code);

/** The API paths of one side's imports: the partner's own, or a municipality's (staff). */
export interface ImportPaths {
  list: string;
  upload: (query: URLSearchParams) => string;
  run: (runId: string) => string;
}

export const partnerImportPaths: ImportPaths = {
  list: '/api/partner/visit-imports',
  upload: (query) => `/api/partner/visit-imports?${query}`,
  run: (runId) => `/api/partner/visit-imports/${encodeURIComponent(runId)}`,
};

export function staffImportPaths(slug: string): ImportPaths {
  const base = `/api/municipalities/${encodeURIComponent(slug)}/visit-imports`;
  return {
    list: base,
    upload: (query) => `${base}?${query}`,
    run: (runId) => `${base}/${encodeURIComponent(runId)}`,
  };
}
