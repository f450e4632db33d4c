import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Db } from './database.js';

/**
 * A query built and compiled once per dialect, then run with new parameter values: for the
 * statements a hot path runs on every request, where building the query (Kysely's immutable
 * nodes) and compiling it cost more than SQLite running it. `build` names each value with
 * `param('name')`; the values must be plain bound parameters (never identifiers or raw SQL), and
 * every call passes them all. Null is fine where the value is written (insert, set) but not in a
 * comparison (`= null` is not `is null`).
 */
export function precompiled<Params extends object, Row>(
  build: (
    db: Db,
    param: <K extends keyof Params & string>(name: K) => Params[K],
  ) => Compilable<Row>,
): (db: Db, params: Params) => Promise<QueryResult<Row>> {
  const compiledFor = new WeakMap<object, { query: CompiledQuery<Row>; slots: Slot[] }>();
  return async (db, params) => {
    // Transactions share their database's adapter: one compilation per open database.
    const adapter = db.getExecutor().adapter;
    let compiled = compiledFor.get(adapter);
    if (!compiled) {
      const names = new Set<string>();
      const query = build(db, (name) => {
        names.add(name);
        return `${SENTINEL}${name}` as never;
      }).compile();
      const slots = query.parameters.map((value): Slot => {
        if (typeof value === 'string' && value.startsWith(SENTINEL)) {
          return { name: value.slice(SENTINEL.length) };
        }
        return { value };
      });
      const used = new Set(slots.flatMap((slot) => ('name' in slot ? [slot.name] : [])));
      if (used.size !== names.size)
        throw new Error(`precompiled: a parameter is not bound: ${sqlOf(query)}`);
      compiled = { query, slots };
      compiledFor.set(adapter, compiled);
    }
    const { query, slots } = compiled;
    const parameters = slots.map((slot) => {
      if (!('name' in slot)) return slot.value;
      const value = (params as Record<string, unknown>)[slot.name];
      if (value === undefined) {
        throw new Error(`precompiled: no value for ${slot.name} in ${sqlOf(query)}`);
      }
      return value;
    });
    return db.executeQuery<Row>({ ...query, parameters });
  };
}

type Slot = { name: string } | { value: unknown };

/** Marks a parameter in the compiled query; no real value starts with a NUL character. */
const SENTINEL = '\u0000param:';

const sqlOf = (query: CompiledQuery) => query.sql.slice(0, 200);
