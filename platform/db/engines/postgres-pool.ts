import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { DatabaseError } from '../errors';
import { PREPARED_MARK } from './engine';

/** pg's type ids for the types it would otherwise hand back as strings. */
const INT8 = 20;

/**
 * Times (milliseconds) and counts are BIGINT columns; pg returns int8 as a string, since it may exceed
 * JavaScript's safe integers. None of ours can, and the stores' types say number, so they are parsed as
 * numbers, and a value that is not a safe integer fails the query rather than coming back rounded.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 && format !== 'binary') {
      return (text: string) => {
        const value = Number(text);
        if (!Number.isSafeInteger(value)) throw new DatabaseError('an integer beyond 2^53 came back');
        return value;
      };
    }
    // pg's own parsers for everything else (bytea as Buffer, booleans, ...).
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
};

export interface PostgresConnection {
  /** A postgres:// URL; user and password in it, or from PGUSER / PGPASSWORD / ~/.pgpass as libpq reads them. */
  readonly url: string;
  /** Connections this process keeps at most (pg's default is 10). */
  readonly poolSize?: number;
  /** Shown in pg_stat_activity, to tell the platform's connections from others. */
  readonly applicationName?: string;
}

/**
 * One pg.Pool per process, behind Kysely's PostgresPool interface, with two changes: int8 parsed as
 * numbers, and errors made safe. A PostgreSQL error carries the values it tripped over (a unique violation's
 * DETAIL names the key, a failed cast quotes the input); those never leave here, so no reply and no log
 * line can carry them: what goes on is the SQLSTATE, the constraint's name and, for the refusals our own
 * triggers raise, their fixed message.
 */
export function createPostgresPool(connection: PostgresConnection): PostgresPool {
  const pool = new pg.Pool({
    connectionString: connection.url,
    max: connection.poolSize ?? 10,
    application_name: connection.applicationName ?? 'compliance-platform',
    types,
    // A server that does not answer is an outage to report, not a request to hang on forever.
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection the server closed (a restart, a failover) must not take the process down: the pool
  // drops it and opens another on next use. Nothing of the error is logged: it can name the host and user.
  pool.on('error', () => {});
  return {
    options: {},
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect().catch((error: unknown) => {
        throw DatabaseError.from(error);
      });
      return {
        query: ((text: string, parameters: ReadonlyArray<unknown>) =>
          client
            .query({ text, values: parameters as unknown[], name: preparedName(text) })
            .catch((error: unknown) => {
              throw DatabaseError.from(error);
            })) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
    },
    end: () => pool.end(),
  };
}

/**
 * A statement marked PREPARED_MARK is parsed and planned once per connection instead of at every call: pg
 * keeps it by name on the connection, and PostgreSQL keeps a plan once it has run a few times. The name is
 * the text's digest, so two texts never share one.
 */
function preparedName(text: string): string | undefined {
  if (!text.startsWith(PREPARED_MARK)) return undefined;
  return `cc_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}
