import type { LocalizedText } from '../../shared/locales.js';
import type { Position } from '../tenancy/tenancy.types.js';

/** Tasks, their slots and the proof of their completion (docs/geo.md, "Tasks"). */

export const TASK_STATUSES = ['draft', 'open', 'closed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_CLAIM_STATUSES = [
  'claimed',
  'released',
  'lapsed',
  'completed',
  'rejected',
] as const;
export type TaskClaimStatus = (typeof TASK_CLAIM_STATUSES)[number];

export const TASK_OUTCOMES = ['approved', 'review', 'rejected'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];

/** What the automatic checks of a completion found; any flag sends it to a reviewer. */
export const TASK_FLAGS = [
  'outside_area',
  'outside_window',
  'photo_reused',
  'photo_similar',
  'photo_outside_area',
  'photo_outside_window',
] as const;
export type TaskFlagCode = (typeof TASK_FLAGS)[number];

export interface TaskFlag {
  code: TaskFlagCode;
  detail: Record<string, string | number>;
}

export interface TaskTexts {
  title: LocalizedText;
  description: LocalizedText;
  safetyNotes: LocalizedText | null;
  materials: LocalizedText | null;
}

export interface TaskArea {
  type: 'Polygon';
  coordinates: Position[][];
}

export interface TaskProofRequired {
  beforePhoto: boolean;
  afterPhoto: boolean;
  location: boolean;
}

/** What staff send to create or change a task. */
export interface TaskInput {
  title: LocalizedText;
  description: LocalizedText;
  safetyNotes?: LocalizedText | null;
  materials?: LocalizedText | null;
  /** A point with a radius, or an area (then the point is ignored). */
  location?: { latitude: number; longitude: number; radiusMeters: number } | null;
  area?: TaskArea | null;
  bountyPoints: number;
  slots: number;
  windowStart: string;
  windowEnd: string;
  holdHours: number;
  estimatedMinutes: number;
  proofRequired: TaskProofRequired;
  /** Staff affirm that volunteers may do this and it replaces no paid municipal work. */
  volunteerSuitable: boolean;
  sourceReportId?: string | null;
}

export interface Task {
  id: string;
  municipalityId: string;
  status: TaskStatus;
  title: LocalizedText;
  description: LocalizedText;
  safetyNotes: LocalizedText | null;
  materials: LocalizedText | null;
  latitude: number;
  longitude: number;
  radiusMeters: number | null;
  area: TaskArea | null;
  extentMeters: number;
  bountyPoints: number;
  slots: number;
  slotsTaken: number;
  slotsLeft: number;
  windowStart: string;
  windowEnd: string;
  holdHours: number;
  estimatedMinutes: number;
  proofRequired: TaskProofRequired;
  volunteerSuitable: true;
  sourceReportId: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface TaskProof {
  beforePhotoIds: string[];
  afterPhotoIds: string[];
  latitude: number | null;
  longitude: number | null;
  flags: TaskFlag[];
}

export interface TaskClaim {
  id: string;
  municipalityId: string;
  taskId: string;
  residentId: string;
  slotNumber: number;
  status: TaskClaimStatus;
  claimedAt: string;
  expiresAt: string;
  releasedAt: string | null;
  completedAt: string | null;
  proof: TaskProof | null;
  outcome: TaskOutcome | null;
  decidedAt: string | null;
  decisionNote: string | null;
  transferId: string | null;
  updatedAt: string;
}
