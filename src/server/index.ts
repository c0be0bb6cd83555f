// syncstore/synchronizers/synchronizer-ws-server: the Node WebSocket server (ws, better-sqlite3,
// pg for PostgreSQL storage shared by several nodes).
export {DEFAULT_LIMITS, LimitError} from './client-limits.js';
export type {ClusterBus, ClusterBusHandlers, RoomNotice} from './cluster-bus.js';
export {
  createPostgresStorage,
  type PostgresStorage,
  type PostgresStorageOptions,
} from './postgres-storage.js';
export {createRedisBus, type RedisBusOptions} from './redis-bus.js';
export {
  createSqliteStorage,
  type SqliteStorage,
  type SqliteStorageOptions,
} from './sqlite-storage.js';
export type * from './types.js';
export {createWsServer} from './ws-server.js';
export {createWsServerSimple} from './ws-server-simple.js';
