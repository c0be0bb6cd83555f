// Notices between tabs sharing an IndexedDB database. IndexedDB itself tells no one about a
// write, so each syncstore persister posts a notice on a BroadcastChannel named after the
// database once its write has committed, and the others (other tabs, or other persisters of the
// same page) read the database only then, instead of polling it.

/** The channel a database's notices travel on. */
export const noticeChannelName = (dbName: string): string => `syncstore:indexeddb:${dbName}`;

/** The one message there is: "the database changed, read it". */
const WRITTEN = 'written';

export type Notices = {
  /** Tells the other persisters of this database that a write committed. */
  post(): void;
  /** Calls `onNotice` for each notice another persister posts; returns a stop function. */
  listen(onNotice: () => void): () => void;
  /** Closes the channel. */
  close(): void;
};

export const hasBroadcastChannel = (): boolean => typeof BroadcastChannel === 'function';

/** Notices for `dbName`; the channel opens on first use (call only if hasBroadcastChannel()). */
export const createNotices = (dbName: string): Notices => {
  let channel: BroadcastChannel | undefined;
  const listeners = new Set<() => void>();
  const getChannel = (): BroadcastChannel => {
    if (channel === undefined) {
      channel = new BroadcastChannel(noticeChannelName(dbName));
      // Node keeps a process alive while a channel is open; a browser has no unref.
      (channel as {unref?: () => void}).unref?.();
      channel.onmessage = (event: MessageEvent) => {
        if (event.data === WRITTEN) {
          for (const listener of [...listeners]) listener();
        }
      };
    }
    return channel;
  };
  return {
    post: () => getChannel().postMessage(WRITTEN),
    listen: (onNotice) => {
      getChannel();
      listeners.add(onNotice);
      return () => listeners.delete(onNotice);
    },
    close: () => {
      listeners.clear();
      channel?.close();
      channel = undefined;
    },
  };
};
