// The `syncstore-server` command: a WebSocket sync server with durable SQLite rooms.
//
//   syncstore-server [--port 8043] [--host 127.0.0.1] [--db ./syncstore.db] [--relay]
//                    [--auth ./auth.js] [--limits ./limits.json] [--limit name=value ...]
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
import type {WsServer, WsServerOptions} from './types.js';
import {createWsServer} from './ws-server.js';

const USAGE = `Usage: syncstore-server [options]

  --port, -p <port>   port to listen on (default 8043; 0 picks a free one)
  --host <host>       interface to listen on (default 127.0.0.1)
  --db <file>         SQLite file for the rooms (default ./syncstore.db)
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
  --quiet, -q         log only errors and start/stop
  --help, -h          show this help
`;

export type CliOptions = {
  port: number;
  host: string;
  db: string | undefined;
  quiet: boolean;
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
      db: {type: 'string', default: './syncstore.db'},
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
  return {
    port,
    host: values.host,
    db: values.relay ? undefined : values.db,
    quiet: values.quiet,
    auth: values.auth,
    limits: parseCliLimits(values.limits, values.limit),
  };
};

/** Starts a server as the CLI does; resolves once it listens. */
export const startServer = async (
  options: CliOptions,
): Promise<{wsServer: WsServer; port: number}> => {
  // Loaded first: a broken module must stop the start before anything listens.
  const auth = options.auth === undefined ? {} : await loadAuthModule(options.auth);
  const webSocketServer = new WebSocketServer({port: options.port, host: options.host});
  await new Promise<void>((resolve, reject) => {
    webSocketServer.once('listening', resolve);
    webSocketServer.once('error', reject);
  });
  webSocketServer.on('error', (error) => logError(describeError(error)));
  const wsServer = createWsServer(webSocketServer, {
    ...auth,
    storage: options.db,
    limits: options.limits,
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
  return {wsServer, port};
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
  const {wsServer, port} = started;
  log(
    `syncstore-server listening on ws://${options.host}:${port} (${
      options.db === undefined ? 'relay only, no storage' : `rooms stored in ${options.db}`
    }${options.auth === undefined ? '' : `, authorization from ${options.auth}`}${
      options.limits === undefined ? '' : `, limits ${describeLimits(options.limits)}`
    })`,
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
