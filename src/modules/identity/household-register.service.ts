import type { ServiceContext } from '../../shared/context.js';
import { DomainError, type FieldError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Locale } from '../../shared/locales.js';
import { authorize } from '../../shared/policy.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import { setRegisteredHouseholds } from '../tenancy/tenancy.service.js';
import { type Letter, renderLetters } from './household-letters.pdf.js';
import * as repo from './household-register.repository.js';
import {
  MAX_LISTED_PROBLEMS,
  newVerificationCode,
  readRegisterFile,
  verificationCodeHash,
} from './household-register.rules.js';
import * as households from './households.repository.js';
import type {
  RegisterEntry,
  RegisterEntryStatus,
  RegisterImportResult,
  RegisterSummary,
} from './identity.types.js';

/**
 * The municipal register of households: staff import it as a CSV file (the whole register each
 * time; it sets the registered-households figure) and print verification letters with a
 * one-time code that a resident enters to prove their household's address.
 */

/** The municipality as this module needs it for letters. */
export interface LetterMunicipality {
  id: string;
  slug: string;
  names: Record<Locale, string>;
  defaultLocale: Locale;
}

/**
 * Replaces the municipality's register with the file's: every row is checked first and any
 * malformed row refuses the whole file (`register_invalid`, listing up to 50 problems by row),
 * changing nothing. Otherwise entries are added or updated by reference, entries missing from
 * the file are removed — except verified ones, which are kept and marked as no longer in the
 * register — and the registered-households figure becomes the number of rows. Outcomes: the
 * counts; `register_invalid`; `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function importRegister(
  ctx: ServiceContext,
  municipalityId: string,
  file: Buffer | string,
): Promise<RegisterImportResult> {
  authorize(ctx, 'households.manage', municipalityId);
  const reading = readRegisterFile(file);
  if (!reading.ok) {
    const more =
      reading.totalProblems > reading.problems.length
        ? ` The first ${MAX_LISTED_PROBLEMS} are listed.`
        : '';
    throw new DomainError(
      'register_invalid',
      'invalid',
      `The file has ${reading.totalProblems} problem${reading.totalProblems === 1 ? '' : 's'}; nothing was changed.${more}`,
      { fieldErrors: reading.problems, details: { problems: reading.totalProblems } },
    );
  }
  const { rows } = reading;
  return inTransaction(ctx.db, async (db) => {
    const tx = { ...ctx, db };
    const now = ctx.clock.now();
    const at = now.toISOString();
    const existing = new Map(
      (await repo.listAllEntries(db, municipalityId)).map((row) => [row.reference, row]),
    );
    const previous = [...existing.values()].filter((row) => row.in_register === 1).length;
    const result: RegisterImportResult = {
      households: rows.length,
      added: 0,
      updated: 0,
      unchanged: 0,
      removed: 0,
      keptVerified: 0,
    };
    const inserts: Parameters<typeof repo.insertEntries>[1] = [];
    const unchanged: string[] = [];
    for (const row of rows) {
      const entry = existing.get(row.reference);
      existing.delete(row.reference);
      if (!entry) {
        inserts.push({ id: newId('hhr', now), municipalityId, ...row, now: at });
        result.added++;
        continue;
      }
      const moved = entry.address !== row.address;
      if (!moved && entry.members === row.members && entry.locale === row.locale) {
        if (entry.in_register === 1) result.unchanged++;
        else result.updated++;
        unchanged.push(entry.id);
        continue;
      }
      result.updated++;
      // A letter sent to the old address must not prove the new one.
      await repo.updateEntry(db, entry.id, {
        ...row,
        clearCode: moved && !entry.verified_household_id,
        now: at,
      });
      // A verified household follows the register to its new address.
      if (moved && entry.verified_household_id) {
        await households.setAddress(db, entry.verified_household_id, row.address);
      }
    }
    await repo.insertEntries(db, inserts);
    await repo.touchListedEntries(db, municipalityId, unchanged, at);
    const gone = [...existing.values()];
    const verifiedGone = gone.filter((row) => row.verified_household_id !== null);
    await repo.deleteEntries(
      db,
      municipalityId,
      gone.filter((row) => row.verified_household_id === null).map((row) => row.id),
    );
    await repo.markNotInRegister(
      db,
      municipalityId,
      verifiedGone.map((row) => row.id),
    );
    result.removed = gone.length - verifiedGone.length;
    result.keptVerified = verifiedGone.length;
    await setRegisteredHouseholds(tx, municipalityId, rows.length);
    // Counts only: the register's addresses are personal data and stay out of the log.
    await recordAudit(tx, {
      municipalityId,
      action: 'household_register.imported',
      subjectType: 'municipality',
      subjectId: municipalityId,
      before: { households: previous },
      after: result,
    });
    return result;
  });
}

/** The register's figures and one page of its entries (by reference, optionally one status). */
export async function getRegister(
  ctx: ServiceContext,
  municipalityId: string,
  query: { offset?: number; limit?: number; status?: RegisterEntryStatus },
): Promise<{
  summary: RegisterSummary;
  items: RegisterEntry[];
  total: number;
  offset: number;
  limit: number;
}> {
  authorize(ctx, 'households.manage', municipalityId);
  const offset = query.offset ?? 0;
  const limit = Math.min(query.limit ?? 50, 200);
  const summary = await repo.summarize(ctx.db, municipalityId);
  const page = await repo.listEntries(ctx.db, municipalityId, {
    offset,
    limit,
    ...(query.status && { status: query.status }),
  });
  return { summary, ...page, offset, limit };
}

/** At most this many letters per PDF; the rest are printed by the next request. */
export const MAX_LETTERS_PER_PDF = 2000;

/**
 * Prints verification letters, one page each, in the household's language (else the
 * municipality's default), each with a new one-time code that replaces any earlier one. Without
 * `references`, prints for the listed, unverified households that have no letter yet (or, with
 * `reprint`, for all unverified ones); with `references`, for exactly those. Outcomes: the PDF and
 * counts; `invalid_input` (unknown or verified references); `no_letters_to_print`;
 * `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function printLetters(
  ctx: ServiceContext,
  municipality: LetterMunicipality,
  input: { references?: string[]; reprint?: boolean },
  options: { publicUrl: string; compress?: boolean },
): Promise<{ pdf: Buffer; letters: number; remaining: number }> {
  authorize(ctx, 'households.manage', municipality.id);
  const references = input.references && [...new Set(input.references)];
  let candidates = await repo.findLetterEntries(ctx.db, municipality.id, references);
  if (references) {
    const printable = new Set(candidates.map((entry) => entry.reference));
    const missing = references.filter((reference) => !printable.has(reference));
    if (missing.length > 0) {
      const known = await repo.existingReferences(ctx.db, municipality.id, missing);
      throw invalidInput(
        missing.slice(0, MAX_LISTED_PROBLEMS).map(
          (reference): FieldError => ({
            field: '/body/references',
            code: known.has(reference) ? 'already_verified' : 'unknown_reference',
            message: known.has(reference)
              ? `${reference} is verified already (or no longer in the register).`
              : `${reference} is not in the register.`,
          }),
        ),
        'Some references cannot get a letter.',
      );
    }
  } else if (!input.reprint) {
    candidates = candidates.filter((entry) => entry.status === 'no_letter');
  }
  if (candidates.length === 0) {
    throw new DomainError(
      'no_letters_to_print',
      'conflict',
      'No household is waiting for a letter: import the register first, or print again with reprint.',
    );
  }
  const batch = candidates.slice(0, MAX_LETTERS_PER_PDF);
  const now = ctx.clock.now();
  const coded = batch.map((entry) => ({ entry, code: newVerificationCode() }));
  const letters: Letter[] = coded.map(({ entry, code }) => {
    const locale = entry.locale ?? municipality.defaultLocale;
    return {
      locale,
      municipalityName: municipality.names[locale],
      reference: entry.reference,
      address: entry.address,
      code,
      date: now,
    };
  });
  // Made before anything is stored (and outside the transaction, which would hold the database
  // meanwhile): a failure leaves the earlier codes working.
  const pdf = await renderLetters(letters, options);
  await inTransaction(ctx.db, async (db) => {
    for (const { entry, code } of coded) {
      await repo.setCode(
        db,
        entry.id,
        verificationCodeHash(municipality.id, code),
        now.toISOString(),
      );
    }
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId: municipality.id,
        action: 'household_register.letters_printed',
        subjectType: 'municipality',
        subjectId: municipality.id,
        after: {
          letters: batch.length,
          selection: references ? 'references' : input.reprint ? 'reprint' : 'new',
        },
      },
    );
  });
  return { pdf, letters: batch.length, remaining: candidates.length - batch.length };
}
