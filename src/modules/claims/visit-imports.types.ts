/** The domain types of recycling-centre visit imports. */

export interface ImportRun {
  id: string;
  municipalityId: string;
  /** The partner the file comes from. */
  partnerId: string | null;
  kind: 'visits';
  fileName: string;
  /** `running` while batches are imported; `done`; `failed` (see `error`: nothing after it). */
  status: 'running' | 'done' | 'failed';
  /** Data rows of the file (from the first pass) and rows imported so far. */
  rowsTotal: number;
  rowsDone: number;
  /** Claims this run approved (some may be worth 0 points), stored waiting, found imported before. */
  awarded: number;
  waiting: number;
  alreadyImported: number;
  /** Bad rows: each is kept with its line and reason. */
  problems: number;
  points: number;
  error: { code: string; message: string } | null;
  startedBy: { kind: string; id: string };
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** One bad row of a file: its physical line (the header is line 1) and why it earned nothing. */
export interface ImportRunProblem {
  line: number;
  reason: string;
  message: string;
  visitId: string | null;
  stream: string | null;
}

/** What one batch adds to a run. */
export interface RunCounts {
  rows: number;
  awarded: number;
  waiting: number;
  alreadyImported: number;
  problems: number;
  points: number;
}

/** What became of one row of a visits file, or one stream of one visit. */
export type VisitResult =
  | {
      line: number;
      visitId: string | null;
      stream: string | null;
      status: 'approved';
      claimId: string;
      points: number;
    }
  | {
      line: number;
      visitId: string | null;
      stream: string | null;
      status: 'waiting' | 'already_imported';
      claimId: string;
    }
  | {
      line: number;
      visitId: string | null;
      stream: string | null;
      status: 'problem';
      reason: string;
      message: string;
    };
