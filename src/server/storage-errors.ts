// Storage failures in words an operator can act on: the driver's error code (SQLite's
// SQLITE_BUSY, PostgreSQL's SQLSTATE, a socket's ECONNREFUSED) names the fault, the driver's own
// message follows.

const REASONS: Record<string, string> = {
  SQLITE_BUSY: 'the database file is locked by another connection',
  SQLITE_LOCKED: 'the database is locked',
  SQLITE_FULL: 'the disk or the database is full',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_NOTADB: 'the file is not a SQLite database (corrupt or overwritten)',
  SQLITE_READONLY: 'the database file is read-only',
  SQLITE_IOERR: 'the disk failed to read or write',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  ECONNREFUSED: 'the database server refuses connections (is it running?)',
  ECONNRESET: 'the connection to the database server was reset',
  ETIMEDOUT: 'the database server did not answer in time',
  '53100': 'the database server is out of disk space',
  '57P01': 'the database server is shutting down',
  '57P03': 'the database server is starting up',
  '08006': 'the connection to the database server failed',
};

/** A storage error as one clear line: what went wrong, then the driver's message. */
export const describeStorageError = (error: Error): string => {
  const code = (error as {code?: unknown}).code;
  const known =
    typeof code === 'string' ? (REASONS[code] ?? REASONS[code.replace(/_[A-Z]+$/, '')]) : undefined;
  const detail = error.message || String(error);
  return known === undefined ? detail : `${known} (${String(code)}: ${detail})`;
};

/** A room whose stored content could not be loaded: its clients are closed to try again later. */
export class RoomLoadError extends Error {}
