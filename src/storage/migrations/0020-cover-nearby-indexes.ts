import type { Kysely } from 'kysely';

/**
 * "What is near here" reads its candidates from the index alone. The grid indexes of 0017 and
 * 0018 gave the covering cells' rows, but each candidate then cost a table row read at a random
 * place (rows are stored in the order they were filed, not by place): about 450 page reads per
 * search at 1,000,000 open tasks and reports (issue 7's benchmark). These indexes also hold each
 * row's point and id, and what a nearby search filters on (a task's window end and municipality, a
 * report's municipality and category), so a search ranks the candidates from the index
 * and reads only the rows it returns. Same leading columns, so they replace the old ones.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('tasks_nearby_points_index')
    .on('tasks')
    .columns(['status', 'cell', 'window_end', 'municipality_id', 'latitude', 'longitude', 'id'])
    .execute();
  await db.schema.dropIndex('tasks_nearby_index').execute();
  await db.schema
    .createIndex('reports_nearby_points_index')
    .on('reports')
    .columns(['cell', 'status', 'municipality_id', 'category_id', 'latitude', 'longitude', 'id'])
    .execute();
  await db.schema.dropIndex('reports_cell_index').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('tasks_nearby_index')
    .on('tasks')
    .columns(['status', 'cell'])
    .execute();
  await db.schema.dropIndex('tasks_nearby_points_index').execute();
  await db.schema
    .createIndex('reports_cell_index')
    .on('reports')
    .columns(['cell', 'status'])
    .execute();
  await db.schema.dropIndex('reports_nearby_points_index').execute();
}
