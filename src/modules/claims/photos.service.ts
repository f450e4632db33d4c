import type { ServiceContext } from '../../shared/context.js';
import { DomainError, type FieldError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { authorize } from '../../shared/policy.js';
import type { PhotoFacts } from './claims.checks.js';
import * as repo from './claims.repository.js';
import { processPhoto } from './photos.processing.js';
import { findDuplicatePhoto } from './photos.rules.js';

/**
 * Photos as evidence: a resident uploads a photo before claiming; it is re-encoded without its
 * metadata for display, and only its hashes, time and place are kept for the checks.
 */

export interface UploadedPhoto {
  id: string;
  width: number;
  height: number;
  takenAt: string | null;
  hasLocation: boolean;
}

/** A claim holds at most this many photos. */
export const MAX_PHOTOS_PER_CLAIM = 4;

/** Photos a resident may have uploaded in a day without using them in a claim (storage abuse). */
export const MAX_UNUSED_PHOTOS_PER_DAY = 20;

/**
 * Stores a resident's photo for a claim to come. Outcomes: the photo; `photo_quota`; `photo_too_large`,
 * `photo_not_an_image`, `photo_heic_unsupported`, `photo_too_many_pixels`, `photo_unreadable`.
 */
export async function uploadPhoto(ctx: ServiceContext, bytes: Buffer): Promise<UploadedPhoto> {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') throw photoNotFound();
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - 86_400_000).toISOString();
  if (
    (await repo.countUnusedPhotos(ctx.db, ctx.actor.residentId, since)) >= MAX_UNUSED_PHOTOS_PER_DAY
  ) {
    throw new DomainError(
      'photo_quota',
      'conflict',
      'You uploaded many photos today without sending a claim. Send a claim with them first, or try again tomorrow.',
      { details: { max: MAX_UNUSED_PHOTOS_PER_DAY } },
    );
  }
  const processed = await processPhoto(bytes);
  const id = newId('pho', now);
  await repo.insertPhoto(ctx.db, {
    id,
    municipality_id: ctx.actor.municipalityId,
    resident_id: ctx.actor.residentId,
    claim_id: null,
    sha256: processed.sha256,
    perceptual_hash: processed.perceptualHash,
    content_type: processed.contentType,
    width: processed.width,
    height: processed.height,
    display: processed.display,
    taken_at: processed.takenAt,
    latitude: processed.latitude,
    longitude: processed.longitude,
    created_at: now.toISOString(),
    task_claim_id: null,
  });
  return {
    id,
    width: processed.width,
    height: processed.height,
    takenAt: processed.takenAt,
    hasLocation: processed.latitude !== null,
  };
}

/**
 * What the checks need to know about the photos of a new claim: each must be the resident's own
 * and not yet used; each is compared with every photo of an earlier claim in the municipality
 * (the same bytes, or a perceptual hash within the near-duplicate distance).
 */
export async function photoFactsFor(
  ctx: ServiceContext,
  municipalityId: string,
  residentId: string,
  photoIds: readonly string[],
  field = '/photoIds',
): Promise<{ facts: PhotoFacts[]; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  if (photoIds.length > MAX_PHOTOS_PER_CLAIM) {
    errors.push({
      field,
      code: 'too_many',
      message: `Add at most ${MAX_PHOTOS_PER_CLAIM} photos.`,
    });
    return { facts: [], errors };
  }
  if (photoIds.length === 0) return { facts: [], errors };
  const rows = await repo.findPhotosMeta(ctx.db, photoIds);
  const earlier = await repo.listAttachedHashes(ctx.db, municipalityId);
  const facts: PhotoFacts[] = [];
  photoIds.forEach((id, index) => {
    const row = rows.find((r) => r.id === id);
    if (!row || row.resident_id !== residentId || row.municipality_id !== municipalityId) {
      errors.push({
        field: `${field}/${index}`,
        code: 'photo_unknown',
        message: 'Upload this photo again.',
      });
      return;
    }
    if (row.claim_id !== null || row.task_claim_id !== null) {
      errors.push({
        field: `${field}/${index}`,
        code: 'photo_used',
        message: 'This photo belongs to another claim.',
      });
      return;
    }
    const match = findDuplicatePhoto(
      { sha256: row.sha256, perceptualHash: row.perceptual_hash },
      earlier.map((e) => ({ ...e, sha256: '', perceptualHash: e.perceptual_hash })),
    );
    facts.push({
      id,
      takenAt: row.taken_at,
      latitude: row.latitude,
      longitude: row.longitude,
      sameAs: null,
      similarTo: match
        ? { claimId: match.photo.claim_id!, photoId: match.photo.id, distance: match.distance }
        : null,
    });
  });
  // The same bytes are looked up by index, not among the perceptual hashes.
  for (const fact of facts) {
    const row = rows.find((r) => r.id === fact.id)!;
    const same = await repo.findAttachedPhotoBySha(ctx.db, municipalityId, row.sha256);
    if (same) {
      fact.sameAs = { claimId: same.claim_id!, photoId: same.id };
      fact.similarTo = null;
    }
  }
  return { facts, errors };
}

/**
 * Marks the resident's photos as the proof of a task claim (tasks module), in the caller's
 * transaction; checked first with photoFactsFor. False when one was used meanwhile.
 */
export async function attachTaskProofPhotos(
  ctx: ServiceContext,
  taskClaimId: string,
  photoIds: readonly string[],
): Promise<boolean> {
  const unique = [...new Set(photoIds)];
  return (await repo.attachTaskPhotos(ctx.db, taskClaimId, unique)) === unique.length;
}

/** The display copy of a task claim's proof photo for staff (tasks module); `photo_not_found`. */
export async function getTaskProofPhoto(
  ctx: ServiceContext,
  municipalityId: string,
  taskClaimId: string,
  photoId: string,
) {
  authorize(ctx, 'tasks.manage', municipalityId);
  const row = await repo.findPhoto(ctx.db, municipalityId, photoId);
  if (!row || row.task_claim_id !== taskClaimId) throw photoNotFound();
  return { contentType: row.content_type, bytes: row.display };
}

/** The display copy of a resident's own photo; `photo_not_found`. */
export async function getOwnPhoto(ctx: ServiceContext, photoId: string) {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') throw photoNotFound();
  const row = await repo.findPhoto(ctx.db, ctx.actor.municipalityId, photoId);
  if (!row || row.resident_id !== ctx.actor.residentId) throw photoNotFound();
  return { contentType: row.content_type, bytes: row.display };
}

/** The display copy of a claim's photo for staff; `photo_not_found`. */
export async function getClaimPhoto(
  ctx: ServiceContext,
  municipalityId: string,
  claimId: string,
  photoId: string,
) {
  authorize(ctx, 'claims.read', municipalityId);
  const row = await repo.findPhoto(ctx.db, municipalityId, photoId);
  if (!row || row.claim_id !== claimId) throw photoNotFound();
  return { contentType: row.content_type, bytes: row.display };
}

function photoNotFound() {
  return new DomainError('photo_not_found', 'not_found', 'No such photo.');
}

/**
 * For a report (src/modules/reports): problems with photos a resident attaches — each must be
 * one of their own uploads in this municipality and not evidence of a claim. `field` is the
 * pointer of the photo list. Outcomes: the field errors (none when all are usable).
 */
export async function checkPhotosForReport(
  ctx: ServiceContext,
  municipalityId: string,
  residentId: string,
  photoIds: readonly string[],
  field: string,
): Promise<FieldError[]> {
  if (photoIds.length > MAX_PHOTOS_PER_CLAIM) {
    return [{ field, code: 'too_many', message: `Add at most ${MAX_PHOTOS_PER_CLAIM} photos.` }];
  }
  const rows = await repo.findPhotosMeta(ctx.db, photoIds);
  const errors: FieldError[] = [];
  photoIds.forEach((id, index) => {
    const row = rows.find((r) => r.id === id);
    if (!row || row.resident_id !== residentId || row.municipality_id !== municipalityId) {
      errors.push({
        field: `${field}/${index}`,
        code: 'photo_unknown',
        message: 'Upload this photo again.',
      });
    } else if (row.claim_id !== null) {
      errors.push({
        field: `${field}/${index}`,
        code: 'photo_used',
        message: 'This photo belongs to a claim.',
      });
    }
  });
  return errors;
}

/**
 * The display copy (without metadata) of a photo of the municipality, for a module that has
 * already decided the caller may see it (a public report's photo); `photo_not_found`.
 */
export async function photoDisplayCopy(
  ctx: ServiceContext,
  municipalityId: string,
  photoId: string,
): Promise<{ contentType: string; bytes: Buffer }> {
  const row = await repo.findPhoto(ctx.db, municipalityId, photoId);
  if (!row) throw photoNotFound();
  return { contentType: row.content_type, bytes: row.display };
}
