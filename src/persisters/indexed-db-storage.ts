// A MergeableStore's content in the browser's IndexedDB, laid out as TinyBase 10 lays it out, so
// either library can open a database the other wrote: database version 3, object stores 't', 'v'
// (a plain Store's data, unused here) and 'm', whose records `{k: 't', v: tablesStamp}` and
// `{k: 'v', v: valuesStamp}` hold the two halves of the hashed, encoded mergeable content.
//
// "Saved" means committed: a write resolves on its transaction's `complete` event, asked for with
// strict durability (flushed to disk), so a tab closed right after loses nothing it was told was
// saved, and a tab closed during a write leaves the previous content whole (the transaction is
// aborted as a unit). Other tabs hear of each committed write through a notice
// (indexed-db-notices.ts).
import type {MergeableContent, TablesStamp, ValuesStamp} from '../store/types.js';
import type {PersisterStorage} from './create-persister.js';
import {createNotices, hasBroadcastChannel} from './indexed-db-notices.js';

const DATABASE_VERSION = 3;
const OBJECT_STORE_NAMES = ['t', 'v', 'm'];
const MERGEABLE_OBJECT_STORE = 'm';
const KEY_PATH = 'k';
const TABLES_KEY = 't';
const VALUES_KEY = 'v';

type StoredRecord = {k: string; v: unknown};

const EMPTY_TABLES: TablesStamp<true> = [{}, '', 0];
const EMPTY_VALUES: ValuesStamp<true> = [{}, '', 0];

const requestResult = <Result>(request: IDBRequest<Result>): Promise<Result> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

const transactionDone = (transaction: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () =>
      reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });

const openDatabase = (dbName: string): Promise<IDBDatabase> => {
  if (typeof indexedDB === 'undefined') {
    return Promise.reject(new Error('IndexedDB is not available here'));
  }
  const request = indexedDB.open(dbName, DATABASE_VERSION);
  request.onupgradeneeded = () => {
    const database = request.result;
    for (const name of OBJECT_STORE_NAMES) {
      if (!database.objectStoreNames.contains(name)) {
        database.createObjectStore(name, {keyPath: KEY_PATH});
      }
    }
  };
  return requestResult(request);
};

/** The stamp a record holds, or undefined when the record is missing or not a stamp. */
const stampOf = (record: StoredRecord | undefined): unknown =>
  record !== undefined && Array.isArray(record.v) ? record.v : undefined;

/**
 * Puts the two stored halves together. A missing half is empty; whether the halves are valid
 * stamps is for the store to judge when it merges them.
 */
const contentOf = (
  tablesRecord: StoredRecord | undefined,
  valuesRecord: StoredRecord | undefined,
): MergeableContent | undefined => {
  const tables = stampOf(tablesRecord);
  const values = stampOf(valuesRecord);
  if (tables === undefined && values === undefined) return undefined;
  return [
    (tables ?? EMPTY_TABLES) as TablesStamp<true>,
    (values ?? EMPTY_VALUES) as ValuesStamp<true>,
  ];
};

/** Aborts a transaction unless it already ended (aborted by the browser, say, as a tab closed). */
const abortQuietly = (transaction: IDBTransaction): void => {
  try {
    transaction.abort();
  } catch {
    // Already finished: nothing was written.
  }
};

/** Polling interval where there is no BroadcastChannel to carry notices. */
const DEFAULT_POLL_SECONDS = 1;

/**
 * Storage in the IndexedDB named `dbName`. Watching it means listening to other persisters'
 * notices; it also polls every `pollIntervalSeconds` if that is given (to see writers that post no
 * notice, such as TinyBase's persister), or every second where BroadcastChannel is missing.
 */
export const createIndexedDbStorage = (
  dbName: string,
  pollIntervalSeconds: number | undefined,
): PersisterStorage => {
  const notices = hasBroadcastChannel() ? createNotices(dbName) : undefined;
  // Opened on first use and kept open; dropped when another tab upgrades or deletes the database,
  // so that we never block it, and reopened by the next operation.
  let databasePromise: Promise<IDBDatabase> | undefined;
  const getDatabase = (): Promise<IDBDatabase> => {
    if (databasePromise === undefined) {
      const opening = openDatabase(dbName).then((database) => {
        const forget = () => {
          database.close();
          if (databasePromise === opening) databasePromise = undefined;
        };
        database.onversionchange = forget;
        database.onclose = forget;
        return database;
      });
      // A failed open is not cached: the next operation tries again.
      opening.catch(() => {
        if (databasePromise === opening) databasePromise = undefined;
      });
      databasePromise = opening;
    }
    return databasePromise;
  };

  const read = async (): Promise<MergeableContent | undefined> => {
    const database = await getDatabase();
    const objectStore = database
      .transaction(MERGEABLE_OBJECT_STORE, 'readonly')
      .objectStore(MERGEABLE_OBJECT_STORE);
    const [tablesRecord, valuesRecord] = await Promise.all([
      requestResult<StoredRecord | undefined>(objectStore.get(TABLES_KEY)),
      requestResult<StoredRecord | undefined>(objectStore.get(VALUES_KEY)),
    ]);
    return contentOf(tablesRecord, valuesRecord);
  };

  const write: PersisterStorage['write'] = async (mergeStored, getContent) => {
    const database = await getDatabase();
    const transaction = database.transaction(MERGEABLE_OBJECT_STORE, 'readwrite', {
      durability: 'strict',
    });
    const done = transactionDone(transaction);
    const objectStore = transaction.objectStore(MERGEABLE_OBJECT_STORE);
    const tablesRequest = objectStore.get(TABLES_KEY);
    const valuesRequest = objectStore.get(VALUES_KEY);
    // Requests of one transaction complete in order: when the second read is done, so is the first.
    // Everything below runs inside that callback, while the transaction is still active, so the
    // read, the merge and the write are one atomic step.
    let failure: unknown;
    valuesRequest.onsuccess = () => {
      try {
        mergeStored(contentOf(tablesRequest.result, valuesRequest.result));
        const [tables, values] = getContent();
        objectStore.put({k: TABLES_KEY, v: tables});
        objectStore.put({k: VALUES_KEY, v: values});
      } catch (error) {
        // Thrown out of an IndexedDB callback it would surface as an uncaught error: keep it,
        // write nothing, and let the caller see it.
        failure = error;
        abortQuietly(transaction);
      }
    };
    try {
      await done;
    } catch (error) {
      throw failure ?? error;
    }
    notices?.post();
  };

  const watch = (onMaybeChanged: () => void) => {
    const stopListening = notices?.listen(onMaybeChanged);
    const pollSeconds =
      notices === undefined ? (pollIntervalSeconds ?? DEFAULT_POLL_SECONDS) : pollIntervalSeconds;
    const timer =
      pollSeconds === undefined ? undefined : setInterval(onMaybeChanged, pollSeconds * 1000);
    return () => {
      stopListening?.();
      clearInterval(timer);
    };
  };

  const close = async () => {
    notices?.close();
    const closing = databasePromise;
    databasePromise = undefined;
    try {
      (await closing)?.close();
    } catch {
      // It never opened: nothing to close.
    }
  };

  return {read, write, watch, close};
};
