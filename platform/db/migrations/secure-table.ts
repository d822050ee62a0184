/**
 * Row-level security for a table an organization owns, as 0016_row_level_security gives its organization
 * tables (PostgreSQL): a row is visible and writable only in a transaction told its organization, and
 * readable across organizations only with app.platform on (the platform's maintenance paths). Forced, so
 * the owner is held to it too.
 */
export function secureOrganizationTable(table: string): string {
  const own = `organization_id = current_setting('app.organization_id', true)`;
  const platform = `current_setting('app.platform', true) = 'on'`;
  return `
  ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
  ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
  CREATE POLICY own_rows ON ${table} USING (${own}) WITH CHECK (${own});
  CREATE POLICY platform_reads ON ${table} FOR SELECT USING (${platform});`;
}
