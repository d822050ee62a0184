/**
 * One step of the schema, named and numbered, with its text for each engine. Steps are applied in order,
 * each in its own transaction, and never edited once released: a change is a new step.
 */
export interface Migration {
  /** `NNNN_what`: the number orders the steps; the name is what a database records as applied. */
  readonly name: string;
  /** Statements for SQLite, run as one script. */
  readonly sqlite: string;
  /** Statements for PostgreSQL, run as one script. */
  readonly postgres: string;
}
