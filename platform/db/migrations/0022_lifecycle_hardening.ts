import type { Migration } from './migration';

/**
 * Hardening of the member lifecycle after its security review. Numbered 0022 after lifecycle's own steps.
 * - An API key handed over (api_key.transfer) loses its secret at once; it works again only once its new
 *   owner rotates it and collects the successor's secret. handed_over_at marks a key waiting for that.
 * - The enrollment page mints the TOTP seed per visit, bound to a one-time nonce its form posts back; the
 *   latest visit's nonce is stored as a SHA-256 (its seed stays sealed in totp_seed_sealed).
 */
export const migration: Migration = {
  name: '0022_lifecycle_hardening',
  sqlite: `
  ALTER TABLE api_keys ADD COLUMN handed_over_at INTEGER;
  ALTER TABLE invitations ADD COLUMN visit_nonce_sha256 BLOB;
  `,
  postgres: `
  ALTER TABLE api_keys ADD COLUMN handed_over_at BIGINT;
  ALTER TABLE invitations ADD COLUMN visit_nonce_sha256 BYTEA;
  `,
};
