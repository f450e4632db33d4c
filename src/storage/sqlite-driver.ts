import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteDialect,
} from 'kysely';

/**
 * Kysely's SQLite dialect with a driver whose one connection is handed to waiting queries one at
 * a time, in order. Kysely's own driver wakes every waiter on each release (all but one go back
 * to sleep), so with 30 requests waiting for a group commit each query cost 30 wake-ups — a few
 * per cent of the CPU of a busy server. Otherwise the same: one connection, statements run
 * synchronously through better-sqlite3.
 */

/** What the driver needs of a better-sqlite3 connection (with its statement cache, see database.ts). */
export interface SqliteHandle {
  prepare(sql: string): {
    reader: boolean;
    all(parameters: readonly unknown[]): unknown[];
    iterate(parameters: readonly unknown[]): IterableIterator<unknown>;
    run(parameters: readonly unknown[]): {
      changes: number | bigint;
      lastInsertRowid: number | bigint;
    };
  };
  close(): void;
}

export class QueuedSqliteDialect extends SqliteDialect {
  readonly #handle: SqliteHandle;

  constructor(handle: SqliteHandle) {
    super({ database: handle as never });
    this.#handle = handle;
  }

  override createDriver(): Driver {
    return new QueuedSqliteDriver(this.#handle);
  }
}

class QueuedSqliteDriver implements Driver {
  readonly #connection: SqliteConnection;
  readonly #handle: SqliteHandle;
  #busy = false;
  readonly #waiting: (() => void)[] = [];

  constructor(handle: SqliteHandle) {
    this.#handle = handle;
    this.#connection = new SqliteConnection(handle);
  }

  async init() {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#busy) {
      // Ownership is passed on by releaseConnection: #busy stays true.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#busy = true;
    }
    return this.#connection;
  }

  async releaseConnection() {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#busy = false;
  }

  async beginTransaction(connection: DatabaseConnection) {
    // Immediate: the write lock is taken at the start, so a transaction that reads and then
    // writes waits (busy_timeout) for another process's writer instead of failing with
    // SQLITE_BUSY at its first write (`serve --workers N` on SQLite). One process has one
    // connection, so this costs nothing there.
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${identifier(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${identifier(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`release ${identifier(name)}`));
  }

  async destroy() {
    this.#handle.close();
  }
}

const identifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

class SqliteConnection implements DatabaseConnection {
  constructor(private readonly handle: SqliteHandle) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.handle.prepare(compiledQuery.sql);
    if (statement.reader) {
      return Promise.resolve({ rows: statement.all(compiledQuery.parameters) as R[] });
    }
    const { changes, lastInsertRowid } = statement.run(compiledQuery.parameters);
    return Promise.resolve({
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    });
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const statement = this.handle.prepare(compiledQuery.sql);
    if (!statement.reader)
      throw new Error('Sqlite driver only supports streaming of select queries');
    for (const row of statement.iterate(compiledQuery.parameters)) yield { rows: [row as R] };
  }
}
