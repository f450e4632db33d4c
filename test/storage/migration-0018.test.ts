import { type Kysely, sql } from 'kysely';
import { expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.js';
import { createContext } from '../../src/shared/context.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import type { TaskClaimsTable, TasksTable } from '../../src/storage/schema.js';
import { describeEachBackend, openFreshStorage } from '../support/backends.js';
import { createMunicipality } from '../support/factories.js';
import { migratorFor } from '../support/migrator.js';

/**
 * Migration 0018 (tasks) on a database that already holds claim photos: they keep every field
 * and gain an empty task_claim_id; the new tables' constraints hold on both databases — a task
 * can never count more slots taken than it has, must be affirmed as suitable for volunteers, has
 * a radius or an area (not both); two held claims cannot share a slot number or a resident,
 * while released ones can; and the migration goes down and up again.
 */

const BEFORE_TASKS = '0016-narrow-claims-household-index';

describeEachBackend('migration 0018 (tasks)', (backend) => {
  it('keeps claim photos, adds tasks and claims whose constraints never let a slot be oversold', async () => {
    const storage = await openFreshStorage(backend);
    try {
      const before = await (await migratorFor(storage)).migrateTo(BEFORE_TASKS);
      expect(before.error).toBeUndefined();
      const ctx = createContext(storage, {
        clock: fixedClock('2026-12-01T09:00:00Z'),
        actor: { kind: 'system', name: 'test' },
      });
      const municipality = await createMunicipality(ctx);
      const at = '2026-12-01T09:00:00.000Z';
      const resident = (id: string) => ({
        id,
        municipality_id: municipality.id,
        email: `${id}@example.be`,
        display_name: null,
        preferred_locale: 'nl' as const,
        member_code: id.toUpperCase().padEnd(10, 'X'),
        status: 'active' as const,
        created_at: at,
        updated_at: at,
      });
      for (const id of ['res_a', 'res_b', 'res_c']) {
        await storage.db.insertInto('residents').values(resident(id)).execute();
      }
      const photo = {
        id: 'pho_1',
        municipality_id: municipality.id,
        resident_id: 'res_a',
        claim_id: null,
        sha256: 'a'.repeat(64),
        perceptual_hash: '0'.repeat(16),
        content_type: 'image/jpeg',
        width: 10,
        height: 10,
        display: Buffer.from([1, 2, 3]),
        taken_at: null,
        latitude: 51.2,
        longitude: 5.4,
        created_at: at,
      };
      await (storage.db as unknown as Kysely<Record<string, Record<string, unknown>>>)
        .insertInto('claim_photos')
        .values(photo)
        .execute();

      const { applied } = await migrateToLatest(storage.db);
      expect(applied).toContain('0018-create-tasks');
      const kept = await storage.db
        .selectFrom('claim_photos')
        .selectAll()
        .executeTakeFirstOrThrow();
      expect({ ...kept, display: [...kept.display] }).toEqual({
        ...photo,
        display: [1, 2, 3],
        task_claim_id: null,
      });

      const task: TasksTable = {
        id: 'tsk_1',
        municipality_id: municipality.id,
        status: 'open',
        texts: '{}',
        latitude: 51.2,
        longitude: 5.4,
        radius_meters: 100,
        area: null,
        extent_meters: 100,
        cell: 1,
        bounty_points: 50,
        slots: 2,
        slots_taken: 0,
        window_start: at,
        window_end: '2026-12-08T09:00:00.000Z',
        hold_hours: 48,
        estimated_minutes: 30,
        proof_before_photo: 1,
        proof_after_photo: 1,
        proof_location: 1,
        volunteer_suitable: 1,
        source_report_id: 'rep_anything',
        created_by: 'usr_1',
        created_at: at,
        updated_at: at,
        published_at: at,
      };
      await storage.db.insertInto('tasks').values(task).execute();
      const refused = async (row: Partial<TasksTable>) =>
        expect(
          storage.db
            .insertInto('tasks')
            .values({ ...task, ...row })
            .execute(),
        ).rejects.toThrow(/check/i);
      await refused({ id: 'tsk_x1', volunteer_suitable: 0 });
      await refused({ id: 'tsk_x2', slots_taken: 3 });
      await refused({ id: 'tsk_x3', area: '{"type":"Polygon"}' });
      await refused({ id: 'tsk_x4', radius_meters: null });
      await refused({ id: 'tsk_x5', status: 'weird' as 'open' });
      await refused({ id: 'tsk_x6', window_end: at });
      await expect(
        storage.db.updateTable('tasks').set({ slots_taken: 3 }).where('id', '=', 'tsk_1').execute(),
      ).rejects.toThrow(/check/i);

      const claim = (id: string, residentId: string, slot: number, status = 'claimed') =>
        ({
          id,
          municipality_id: municipality.id,
          task_id: 'tsk_1',
          resident_id: residentId,
          slot_number: slot,
          status,
          claimed_at: at,
          expires_at: '2026-12-03T09:00:00.000Z',
          released_at: null,
          completed_at: null,
          proof: null,
          outcome: null,
          decided_at: null,
          decided_by: null,
          decision_note: null,
          transfer_id: null,
          updated_at: at,
        }) as TaskClaimsTable;
      const insert = (row: TaskClaimsTable) =>
        storage.db.insertInto('task_claims').values(row).execute();
      await insert(claim('tcl_1', 'res_a', 1));
      // The same slot, held twice: refused; the same resident twice: refused.
      await expect(insert(claim('tcl_2', 'res_b', 1))).rejects.toThrow(/unique/i);
      await expect(insert(claim('tcl_3', 'res_a', 2))).rejects.toThrow(/unique/i);
      await expect(insert(claim('tcl_4', 'res_b', 2, 'completed'))).resolves.toBeDefined();
      // Claims that no longer hold a slot do not count.
      await insert(claim('tcl_5', 'res_c', 1, 'released'));
      await insert(claim('tcl_6', 'res_a', 2, 'lapsed'));
      await expect(insert(claim('tcl_7', 'res_c', 1, 'weird'))).rejects.toThrow(/check/i);
      await expect(
        insert({ ...claim('tcl_8', 'res_c', 3, 'released'), task_id: 'tsk_missing' }),
      ).rejects.toThrow(/foreign key/i);

      // Down and up again.
      const down = await (await migratorFor(storage)).migrateTo(BEFORE_TASKS);
      expect(down.error).toBeUndefined();
      await expect(sql`select count(*) from tasks`.execute(storage.db)).rejects.toThrow();
      await expect(
        sql`select task_claim_id from claim_photos`.execute(storage.db),
      ).rejects.toThrow();
      expect((await migrateToLatest(storage.db)).applied).toContain('0018-create-tasks');
    } finally {
      await storage.close();
    }
  });
});
