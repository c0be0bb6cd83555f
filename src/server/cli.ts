// The `syncstore-server` command: a WebSocket sync server with durable rooms, in SQLite (one
// node) or in PostgreSQL (any number of nodes serving the same rooms).
//
//   syncstore-server [--port 8043] [--host 127.0.0.1] [--db ./syncstore.db] [--relay]
//                    [--auth ./auth.js] [--limits ./limits.json] [--limit name=value ...]
//   syncstore-server --postgres postgres://user:pass@host:5432/db [--redis redis://host:6379]
//                    [--node-id name] ...
//
// Logs one line per event (start, rooms and clients coming and going, rejected traffic and other
// errors) and shuts down cleanly on SIGINT or SIGTERM: clients are told the server is going away,
// rooms stop and the database is closed.
import {realpathSync} from 'node:fs';
import {resolve} from 'node:path';
import {pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';
import {WebSocketServer} from 'ws';
import {describeError} from '../synchronizers/errors.js';
import {describeLimits, parseCliLimits} from './cli-limits.js';
import type {ClientLimits} from './client-limits.js';
import {createPostgresStorage, type PostgresStorage} from './postgres-storage.js';
import {createRedisBus} from './redis-bus.js';
import {describeStorageError} from './storage-errors.js';
import type {WsServer, WsServerOptions} from './types.js';
import {createWsServer} from './ws-server.js';

const USAGE = `Usage: syncstore-server [options]

  --port, -p <port>   port to listen on (default 8043; 0 picks a free one)
  --host <host>       interface to listen on (default 127.0.0.1)
  --db <file>         SQLite file for the rooms (default ./syncstore.db)
  --postgres <url>    keep the rooms in PostgreSQL instead (postgres://user:pass@host:port/db);
                      every node started on the same database serves the same rooms, and
                      hears the others' changes over LISTEN/NOTIFY
  --redis <url>       with --postgres: nodes hear each other over Redis pub/sub instead
                      (redis://host:port)
  --node-id <name>    with --postgres: this node's name in the logs and notices (default random)
  --relay             keep no data: relay between clients only
  --auth <module>     a JavaScript module exporting authorize, canWriteCell and/or
                      canWriteValue (named exports, or a default export object holding
                      them), passed to createWsServer as options of those names
  --limits <file>     a JSON file of limits per client, e.g. {"maxIdBytes": 512}
  --limit <name=value>
                      one limit per client (repeatable; wins over --limits); a
                      number, 0 or "off" for none. Names, defaults and close codes:
                        messagesPerSecond 1000, bytesPerSecond 67108864 (1013)
                        channelsPerSocket 100, clientsPerRoom 1000      (1013)
                        maxIdBytes 1024, maxValueBytes 4194304, maxDepth 64 (1009)
                        refusedNewLeavesPerClient 10000                 (1008)
  --quiet, -q         log only errors and start/stop
  --help, -h          show this help
`;

export type CliOptions = {
  port: number;
  host: string;
  /** SQLite file for the rooms; undefined with --postgres or --relay. */
  db: string | undefined;
  quiet: boolean;
  /** PostgreSQL connection string (--postgres). */
  postgres?: string | undefined;
  /** Redis URL for the bus between nodes (--redis). */
  redis?: string | undefined;
  /** This node's id (--node-id). */
  nodeId?: string | undefined;
  /** Path of the authorization module (--auth). */
  auth?: string | undefined;
  /** Limits per client (--limits, --limit); the server's defaults for any not given. */
  limits?: ClientLimits | undefined;
};

/** What --auth takes from its module. */
export type AuthOptions = Pick<WsServerOptions, 'authorize' | 'canWriteCell' | 'canWriteValue'>;

const AUTH_EXPORTS = ['authorize', 'canWriteCell', 'canWriteValue'] as const;

/**
 * Loads an --auth module. Its named exports, or else the properties of its default export, named
 * authorize, canWriteCell and canWriteValue become the server's options; each must be a function,
 * and at least one must be there, so that a typo cannot start a server open to everyone.
 */
export const loadAuthModule = async (path: string): Promise<AuthOptions> => {
  const module = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  const source = AUTH_EXPORTS.some((name) => name in module)
    ? module
    : ((module.default ?? {}) as Record<string, unknown>);
  const options: Record<string, unknown> = {};
  for (const name of AUTH_EXPORTS) {
    const exported = source[name];
    if (exported === undefined) {
      continue;
    }
    if (typeof exported !== 'function') {
      throw new Error(`--auth ${path}: ${name} must be a function`);
    }
    options[name] = exported;
  }
  if (Object.keys(options).length === 0) {
    throw new Error(`--auth ${path}: exports none of ${AUTH_EXPORTS.join(', ')}`);
  }
  return options as AuthOptions;
};

const log = (message: string): void => {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
};
const logError = (message: string): void => {
  process.stderr.write(`${new Date().toISOString()} error: ${message}\n`);
};

export const parseCliArguments = (args: string[]): CliOptions | 'help' => {
  const {values} = parseArgs({
    args,
    options: {
      port: {type: 'string', short: 'p', default: '8043'},
      host: {type: 'string', default: '127.0.0.1'},
      db: {type: 'string'},
      postgres: {type: 'string'},
      redis: {type: 'string'},
      'node-id': {type: 'string'},
      relay: {type: 'boolean', default: false},
      auth: {type: 'string'},
      limits: {type: 'string'},
      limit: {type: 'string', multiple: true, default: []},
      quiet: {type: 'boolean', short: 'q', default: false},
      help: {type: 'boolean', short: 'h', default: false},
    },
    strict: true,
  });
  if (values.help) {
    return 'help';
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a number from 0 to 65535, not ${JSON.stringify(values.port)}`);
  }
  const {postgres, redis, 'node-id': nodeId} = values;
  if (postgres !== undefined) {
    if (values.db !== undefined || values.relay) {
      throw new Error('--postgres keeps the rooms in PostgreSQL: leave out --db and --relay');
    }
    checkUrl('--postgres', postgres, ['postgres:', 'postgresql:']);
  } else if (redis !== undefined || nodeId !== undefined) {
    throw new Error(`${redis === undefined ? '--node-id' : '--redis'} needs --postgres`);
  }
  if (redis !== undefined) {
    checkUrl('--redis', redis, ['redis:', 'rediss:']);
  }
  return {
    port,
    host: values.host,
    db: values.relay || postgres !== undefined ? undefined : (values.db ?? './syncstore.db'),
    quiet: values.quiet,
    auth: values.auth,
    limits: parseCliLimits(values.limits, values.limit),
    ...(postgres === undefined ? {} : {postgres, redis, nodeId}),
  };
};

const checkUrl = (option: string, url: string, protocols: string[]): void => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${option} must be a URL (${protocols[0]}//…), not ${JSON.stringify(url)}`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new Error(`${option} must be a ${protocols.join(' or ')} URL, not ${parsed.protocol}`);
  }
};

/** A connection URL as it may be logged: without its password. */
export const redactUrl = (url: string): string => {
  const parsed = new URL(url);
  if (parsed.password !== '') {
    parsed.password = '***';
  }
  return parsed.href;
};

/**
 * The storage the options ask for. PostgreSQL is reached once before the server listens, so that
 * a wrong URL or a database that is down stops the start with its reason.
 */
const openStorage = async (options: CliOptions): Promise<WsServerOptions['storage']> => {
  if (options.postgres === undefined) {
    return options.db;
  }
  const storage = createPostgresStorage(options.postgres, {
    nodeId: options.nodeId,
    bus: options.redis === undefined ? 'postgres' : createRedisBus(options.redis),
  });
  try {
    await storage.getStoredPathIds();
  } catch (error) {
    await storage.close();
    throw new Error(
      `PostgreSQL at ${redactUrl(options.postgres)}: ${describeStorageError(error as Error)}`,
    );
  }
  return storage;
};

/** The start-up line's account of where rooms are kept. */
const describeStorage = (options: CliOptions, storage: WsServerOptions['storage']): string => {
  if (options.postgres !== undefined) {
    const nodeId = (storage as PostgresStorage).nodeId;
    const bus =
      options.redis === undefined ? 'LISTEN/NOTIFY' : `Redis at ${redactUrl(options.redis)}`;
    return `rooms stored in PostgreSQL at ${redactUrl(options.postgres)}, node ${nodeId}, nodes hear each other over ${bus}`;
  }
  return options.db === undefined ? 'relay only, no storage' : `rooms stored in ${options.db}`;
};

/** Starts a server as the CLI does; resolves once it listens. */
export const startServer = async (
  options: CliOptions,
): Promise<{wsServer: WsServer; port: number; storage: string}> => {
  // Loaded first: a broken module or database must stop the start before anything listens.
  const auth = options.auth === undefined ? {} : await loadAuthModule(options.auth);
  const storage = await openStorage(options);
  const webSocketServer = new WebSocketServer({port: options.port, host: options.host});
  try {
    await new Promise<void>((resolve, reject) => {
      webSocketServer.once('listening', resolve);
      webSocketServer.once('error', reject);
    });
  } catch (error) {
    if (typeof storage === 'object') {
      await storage.close();
    }
    throw error;
  }
  webSocketServer.on('error', (error) => logError(describeError(error)));
  const wsServer = createWsServer(webSocketServer, {
    ...auth,
    storage,
    limits: options.limits,
    // Clients show the node they are on (status.node), which is how an app sees a failover.
    ...(options.postgres === undefined ? {} : {nodeId: (storage as PostgresStorage).nodeId}),
    onIgnoredError: (error) => logError(describeError(error)),
  });
  if (!options.quiet) {
    wsServer.addPathIdsListener((_, pathId, change) =>
      log(`room ${JSON.stringify(pathId)} ${change > 0 ? 'opened' : 'closed'}`),
    );
    wsServer.addClientIdsListener(null, (_, pathId, clientId, change) =>
      log(`client ${clientId} ${change > 0 ? 'joined' : 'left'} room ${JSON.stringify(pathId)}`),
    );
  }
  const address = webSocketServer.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {wsServer, port, storage: describeStorage(options, storage)};
};

export const main = async (args: string[]): Promise<void> => {
  let options: CliOptions | 'help';
  try {
    options = parseCliArguments(args);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  let started: Awaited<ReturnType<typeof startServer>>;
  try {
    started = await startServer(options);
  } catch (error) {
    logError(`cannot start: ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  }
  const {wsServer, port, storage} = started;
  log(
    `syncstore-server listening on ws://${options.host}:${port} (${storage}${
      options.auth === undefined ? '' : `, authorization from ${options.auth}`
    }${options.limits === undefined ? '' : `, limits ${describeLimits(options.limits)}`})`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    log(`${signal} received, shutting down`);
    wsServer.destroy().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logError(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
};

const isEntryPoint = (): boolean => {
  try {
    return (
      process.argv[1] !== undefined &&
      import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href
    );
  } catch {
    return false;
  }
};

if (isEntryPoint()) {
  void main(process.argv.slice(2));
}
