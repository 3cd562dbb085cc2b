/** The lease and expiring-record writes the port makes outside batches. */
export const sideWrites = {
  putLease: `INSERT INTO leases (owner_id, name, data) VALUES ($1, $2, $3::jsonb) ON CONFLICT (owner_id, name) DO UPDATE SET data = excluded.data`,
  deleteLease: 'DELETE FROM leases WHERE owner_id = $1 AND name = $2',
  putExpiring: `INSERT INTO expiring (owner_id, kind, key, expires_ms, data) VALUES ($1, $2, $3, $4, $5::jsonb)
    ON CONFLICT (owner_id, kind, key) DO UPDATE SET expires_ms = excluded.expires_ms, data = excluded.data`,
  /** Stores only where no record is, or only an expired one (`$6` = now, ms); returns a row when it stored. */
  putExpiringIfAbsent: `INSERT INTO expiring (owner_id, kind, key, expires_ms, data) VALUES ($1, $2, $3, $4, $5::jsonb)
    ON CONFLICT (owner_id, kind, key) DO UPDATE SET expires_ms = excluded.expires_ms, data = excluded.data WHERE expiring.expires_ms <= $6
    RETURNING 1`,
  purgeExpired: 'DELETE FROM expiring WHERE owner_id = $1 AND expires_ms <= $2',
} as const;
