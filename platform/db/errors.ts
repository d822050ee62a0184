/** Words for the SQLSTATEs an operator is likely to meet; the code itself is always given too. */
const meanings: Record<string, string> = {
  '08000': 'connection failure',
  '08001': 'could not connect',
  '08006': 'connection failure',
  '23502': 'a required value is missing',
  '23503': 'a referenced row does not exist',
  '23505': 'a unique value is already taken',
  '23514': 'a check constraint refused the row',
  '25P02': 'the transaction had already failed',
  '28000': 'the role may not connect',
  '28P01': 'password authentication failed',
  '3D000': 'the database does not exist',
  '40001': 'serialization failure',
  '40P01': 'deadlock detected',
  '42501': 'permission denied',
  '42P01': 'a table does not exist',
  '53300': 'too many connections',
  '57014': 'the statement was cancelled',
  '57P01': 'the server is shutting down',
  '57P03': 'the server is starting up',
};

/** Node's errno codes for a server that cannot be reached. */
const unreachable = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

/**
 * A database error with nothing of the data in it: the SQLSTATE, the constraint's name and a fixed phrase.
 * PostgreSQL's own message can quote input ("invalid input syntax for type bigint: …") and its DETAIL names
 * key values ("Key (email)=(…) already exists"), and whatever an error carries may end up in a log line or
 * on a terminal. The one exception is SQLSTATE P0001, raised only by the schema's own trigger functions
 * with a fixed refusal ("audit entries are append-only"), which is kept because it says what was refused.
 */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';

  constructor(
    message: string,
    /** The SQLSTATE (or Node's errno code for a connection that failed). */
    readonly code?: string,
    readonly constraint?: string,
  ) {
    super(message);
  }

  /** Whether running the whole transaction again may succeed (PostgreSQL chose it as a deadlock victim). */
  get retryable(): boolean {
    return this.code === '40P01' || this.code === '40001';
  }

  static from(error: unknown): DatabaseError {
    if (error instanceof DatabaseError) return error;
    const fields = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
    const code = typeof fields.code === 'string' ? fields.code : undefined;
    const constraint = typeof fields.constraint === 'string' ? fields.constraint : undefined;
    if (code === 'P0001' && error instanceof Error) return new DatabaseError(error.message, code, constraint);
    if (code && unreachable.has(code))
      return new DatabaseError(`PostgreSQL is not reachable (${code})`, code);
    const phrase = code ? (meanings[code] ?? 'database error') : 'database error';
    const on = constraint ? ` on ${constraint}` : '';
    return new DatabaseError(
      `PostgreSQL: ${phrase}${on}${code ? ` (SQLSTATE ${code})` : ''}`,
      code,
      constraint,
    );
  }
}
