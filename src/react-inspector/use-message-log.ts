// The React binding of message-log.ts: one log per synchronizer and limit, read through
// useSyncExternalStore, so the log listens exactly while the Inspector is mounted.
import {useMemo, useSyncExternalStore} from 'react';
import type {Synchronizer} from '../synchronizers/types.js';
import {createMessageLog, type MessageLog, type MessageLogSnapshot} from './message-log.js';

// One constant snapshot: useSyncExternalStore loops forever on a getSnapshot that returns a new
// object each time, which is what a provider's synchronizer is before it has been created.
const EMPTY: MessageLogSnapshot = Object.freeze({entries: [], peers: [], total: 0});
const emptySnapshot = () => EMPTY;
const NO_LOG: MessageLog = {getSnapshot: emptySnapshot, subscribe: () => () => {}};

export function useMessageLog(
  synchronizer: Synchronizer | undefined,
  limit: number,
): MessageLogSnapshot {
  // A log is inert until subscribed, so making one in a discarded render costs nothing.
  const log = useMemo(
    () =>
      // Something handed in as a synchronizer that cannot be listened to shows an empty log.
      typeof synchronizer?.addMessageListener === 'function'
        ? createMessageLog(synchronizer, limit)
        : NO_LOG,
    [synchronizer, limit],
  );
  return useSyncExternalStore(log.subscribe, log.getSnapshot, emptySnapshot);
}
