// An optional bus between nodes on Redis pub/sub (ioredis), for more fan-out than PostgreSQL's
// LISTEN/NOTIFY: one connection subscribes, another publishes. ioredis reconnects by itself
// (with our backoff); each time the subscriber is ready again the storage catches up on what it
// may have missed, from PostgreSQL, since Redis keeps no history of what was published.
import {Redis} from 'ioredis';
import {
  type ClusterBus,
  type ClusterBusHandlers,
  decodeNotice,
  encodeNotice,
  type RoomNotice,
} from './cluster-bus.js';
import {retryDelay} from './retry-delay.js';

export type RedisBusOptions = {
  /** The pub/sub channel; default 'syncstore_rooms'. */
  channel?: string;
};

/** A bus on the Redis server at `url` (redis://host:port), for createPostgresStorage's `bus`. */
export const createRedisBus = (url: string, options: RedisBusOptions = {}): ClusterBus => {
  const channel = options.channel ?? 'syncstore_rooms';
  const connectionOptions = {
    lazyConnect: true,
    // A publish while Redis is down fails at once: the notice is not needed for correctness
    // (nodes catch up from PostgreSQL), so it is not queued.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt: number) => retryDelay(attempt),
  };
  const subscriber = new Redis(url, connectionOptions);
  const publisher = new Redis(url, connectionOptions);
  let closed = false;
  let reportedDown = false;
  /** The latest notice per room that could not be published: sent once Redis is back. */
  const unpublished = new Map<string | undefined, RoomNotice>();
  const send = async (notice: RoomNotice): Promise<void> => {
    try {
      await publisher.publish(channel, encodeNotice(notice));
      unpublished.delete(notice.pathId);
    } catch (error) {
      unpublished.set(notice.pathId, notice);
      throw error;
    }
  };

  return {
    start: (handlers: ClusterBusHandlers) => {
      subscriber.on('message', (from: string, payload: string) => {
        if (from !== channel) {
          return;
        }
        const notice = decodeNotice(payload);
        if (notice === undefined) {
          handlers.onError(new Error(`ignored a malformed notice on Redis ${channel}: ${payload}`));
        } else {
          handlers.onNotice(notice);
        }
      });
      // ioredis subscribes again after each reconnect, before 'ready'.
      subscriber.on('ready', () => {
        reportedDown = false;
        handlers.onConnected();
      });
      const onError = (error: Error): void => {
        if (!closed && !reportedDown) {
          reportedDown = true;
          handlers.onError(new Error(`Redis bus unavailable (reconnecting): ${error.message}`));
        }
      };
      subscriber.on('error', onError);
      publisher.on('error', () => {});
      publisher.on('ready', () => {
        for (const notice of [...unpublished.values()]) {
          send(notice).catch(() => {});
        }
      });
      subscriber
        .connect()
        .then(() => subscriber.subscribe(channel))
        .catch(onError);
      publisher.connect().catch(() => {});
    },
    publish: send,
    close: async () => {
      closed = true;
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
};
