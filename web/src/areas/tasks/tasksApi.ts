import { postJson, sendJson } from '../../api/client';
import type { LocalizedText } from '../../api/types';
import { useApiResource } from '../../api/useApiResource';

/** Shapes and calls of the tasks API (docs/api.md, "Tasks"). */

export type TaskStatus = 'draft' | 'open' | 'closed' | 'cancelled';
export type TaskClaimStatus = 'claimed' | 'released' | 'lapsed' | 'completed' | 'rejected';
export type TaskOutcome = 'approved' | 'review' | 'rejected';

export interface ProofRequired {
  beforePhoto: boolean;
  afterPhoto: boolean;
  location: boolean;
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
  extentMeters: number;
  bountyPoints: number;
  slots: number;
  slotsTaken: number;
  slotsLeft: number;
  windowStart: string;
  windowEnd: string;
  holdHours: number;
  estimatedMinutes: number;
  proofRequired: ProofRequired;
  volunteerSuitable: true;
  sourceReportId: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface TaskClaim {
  id: string;
  taskId: string;
  slotNumber: number;
  status: TaskClaimStatus;
  claimedAt: string;
  expiresAt: string;
  releasedAt: string | null;
  completedAt: string | null;
  proof: {
    beforePhotoIds: string[];
    afterPhotoIds: string[];
    latitude: number | null;
    longitude: number | null;
    flags: { code: string; detail: Record<string, string | number> }[];
  } | null;
  outcome: TaskOutcome | null;
  decidedAt: string | null;
  decisionNote: string | null;
  transferId: string | null;
  updatedAt: string;
}

export interface PublicTask extends Task {
  municipalitySlug: string;
  myClaim: TaskClaim | null;
}

export interface NearbyTask extends Task {
  municipalitySlug: string;
  distanceMeters: number | null;
}

export interface Completion {
  beforePhotoIds?: string[];
  afterPhotoIds?: string[];
  latitude?: number;
  longitude?: number;
}

const taskPath = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;

export function useTask(id: string) {
  return useApiResource<PublicTask>(taskPath(id), { cache: false });
}

export function useNearbyTasks(query: string | null) {
  return useApiResource<{ items: NearbyTask[] }>(
    query ? `/api/tasks/nearby?${query}` : '/api/tasks/nearby?limit=1',
    { cache: false },
  );
}

export function useMyTasks() {
  return useApiResource<{ items: (TaskClaim & { task: Task })[] }>('/api/me/tasks', {
    cache: false,
  });
}

export const claimTask = (id: string) => postJson<TaskClaim>(`${taskPath(id)}/claim`);
export const releaseTask = (id: string) => sendJson<TaskClaim>('DELETE', `${taskPath(id)}/claim`);
export const completeTask = (id: string, body: Completion) =>
  postJson<TaskClaim>(`${taskPath(id)}/complete`, body);
export const calendarUrl = (id: string) => `${taskPath(id)}/calendar.ics`;
