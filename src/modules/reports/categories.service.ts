import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { authorize } from '../../shared/policy.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import * as repo from './reports.repository.js';
import { categoryErrors } from './reports.rules.js';
import type { CategoryInput, ReportCategory } from './reports.types.js';

/**
 * A municipality's report categories (the Open311 services): anyone lists the active ones; its
 * admins (`catalog.manage`) add, change, archive and bring them back, each change audited.
 */

/**
 * The municipality's report categories (active ones; with `includeArchived`, for its admins, all).
 * Outcomes: the list; `not_signed_in`, `permission_denied`, `not_found` (archived ones asked
 * without catalog.manage).
 */
export async function listCategories(
  ctx: ServiceContext,
  municipalityId: string,
  options: { includeArchived?: boolean } = {},
): Promise<ReportCategory[]> {
  if (options.includeArchived) authorize(ctx, 'catalog.manage', municipalityId);
  return repo.listCategories(ctx.db, municipalityId, options.includeArchived ?? false);
}

/**
 * An admin adds a category. Outcomes: the category; `invalid_input`; `category_code_taken`;
 * `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function createCategory(
  ctx: ServiceContext,
  municipalityId: string,
  input: CategoryInput,
): Promise<ReportCategory> {
  authorize(ctx, 'catalog.manage', municipalityId);
  const errors = categoryErrors(input);
  if (errors.length > 0) throw invalidInput(errors);
  const at = ctx.clock.now().toISOString();
  const id = newId('rca', ctx.clock.now());
  try {
    await inTransaction(ctx.db, async (db) => {
      await repo.insertCategory(db, {
        id,
        municipality_id: municipalityId,
        ...categoryColumns(input),
        status: 'active',
        created_at: at,
        updated_at: at,
      });
      await recordAudit(
        { ...ctx, db },
        {
          municipalityId,
          action: 'report_category.created',
          subjectType: 'report_category',
          subjectId: id,
          after: input,
        },
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError('category_code_taken', 'conflict', 'Another category has this code.', {
        details: { code: input.code },
      });
    }
    throw error;
  }
  return (await repo.findCategoryByCode(ctx.db, municipalityId, input.code))!;
}

/**
 * An admin changes a category (the code stays; reports keep it); an archived one comes back with
 * `status: 'active'`. Outcomes: the category; `invalid_input`; `category_not_found`;
 * `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function updateCategory(
  ctx: ServiceContext,
  municipalityId: string,
  code: string,
  input: Omit<CategoryInput, 'code'> & { status?: 'active' | 'archived' },
): Promise<ReportCategory> {
  authorize(ctx, 'catalog.manage', municipalityId);
  const before = await repo.findCategoryByCode(ctx.db, municipalityId, code);
  if (!before) throw categoryNotFound();
  const errors = categoryErrors({ ...input, code });
  if (errors.length > 0) throw invalidInput(errors);
  await inTransaction(ctx.db, async (db) => {
    const { code: _code, ...columns } = categoryColumns({ ...input, code });
    await repo.updateCategory(db, before.id, {
      ...columns,
      ...(input.status && { status: input.status }),
      updated_at: ctx.clock.now().toISOString(),
    });
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId,
        action: 'report_category.changed',
        subjectType: 'report_category',
        subjectId: before.id,
        before,
        after: input,
      },
    );
  });
  return (await repo.findCategoryByCode(ctx.db, municipalityId, code))!;
}

function categoryColumns(input: CategoryInput) {
  const empty = { nl: '', fr: '', de: '', en: '' };
  return {
    code: input.code,
    names: JSON.stringify(input.names),
    descriptions: JSON.stringify(input.descriptions ?? empty),
    group_name: input.group ?? null,
    keywords: JSON.stringify(input.keywords ?? []),
    attributes: JSON.stringify([...(input.attributes ?? [])].sort((a, b) => a.order - b.order)),
    sort_order: input.order ?? 0,
  };
}

function categoryNotFound() {
  return new DomainError('category_not_found', 'not_found', 'No such report category here.');
}
