// The default bus between nodes: PostgreSQL's LISTEN/NOTIFY on one dedicated connection (a pooled
// connection cannot keep listening). When that connection drops it is opened again with backoff,
// and onConnected tells the storage to catch up on what it may have missed meanwhile.
import pg from 'pg';
import {
  type ClusterBus,
  type ClusterBusHandlers,
  decodeNotice,
  encodeNotice,
  type RoomNotice,
} from './cluster-bus.js';
import {retryDelay} from './retry-delay.js';
import {describeStorageError} from './storage-errors.js';

const CHANNEL = 'syncstore_rooms';

export const createPostgresBus = (
  connection: pg.ClientConfig,
  query: (text: string, values: unknown[]) => Promise<unknown>,
): ClusterBus => {
  let handlers: ClusterBusHandlers | undefined;
  let client: pg.Client | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let closed = false;

  const lost = (lostClient: pg.Client, error: Error): void => {
    if (lostClient !== client || closed) {
      return;
    }
    client = undefined;
    lostClient.end().catch(() => {});
    failures++;
    handlers?.onError(
      new Error(`PostgreSQL LISTEN connection lost (reconnecting): ${describeStorageError(error)}`),
    );
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void listen();
    }, retryDelay(failures));
  };

  const listen = async (): Promise<void> => {
    const listening = new pg.Client(connection);
    client = listening;
    listening.on('notification', ({channel, payload}) => {
      if (channel !== CHANNEL || payload === undefined) {
        return;
      }
      const notice = decodeNotice(payload);
      if (notice === undefined) {
        handlers?.onError(new Error(`ignored a malformed notice on ${CHANNEL}: ${payload}`));
      } else {
        handlers?.onNotice(notice);
      }
    });
    listening.on('error', (error) => lost(listening, error));
    listening.on('end', () => lost(listening, new Error('the connection closed')));
    try {
      await listening.connect();
      await listening.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      lost(listening, error as Error);
      return;
    }
    if (client === listening && !closed) {
      failures = 0;
      handlers?.onConnected();
    }
  };

  return {
    start: (startedHandlers) => {
      handlers = startedHandlers;
      void listen();
    },
    publish: async (notice: RoomNotice) => {
      await query('SELECT pg_notify($1, $2)', [CHANNEL, encodeNotice(notice)]);
    },
    close: async () => {
      closed = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      const open = client;
      client = undefined;
      await open?.end().catch(() => {});
    },
  };
};
