// Writes the change sets rooms accept into their storage, in the order accepted, and keeps those
// it could not store (a locked, full or unreachable database) until it can: the failed write is
// tried again with backoff, later ones wait behind it, and a room opened meanwhile gets them on
// top of what it loads (docs/protocol.md §7.7). A synchronous storage that succeeds is written
// before save() returns, so a change is on disk before the next client message is handled.
import type {Id, MergeableChanges} from '../store/types.js';
import {toError} from '../synchronizers/errors.js';
import {retryDelay} from './retry-delay.js';
import {describeStorageError} from './storage-errors.js';
import type {RoomStorage} from './types.js';

type PendingSave = {
  pathId: Id;
  changes: MergeableChanges;
  resolve: () => void;
  reject: (error: Error) => void;
};

export class StorageWriter {
  readonly #storage: RoomStorage;
  readonly #reportError: (error: Error) => void;
  readonly #queue: PendingSave[] = [];
  #writing = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Consecutive failures of the write at the head of the queue. */
  #failures = 0;
  #lastReported: string | undefined;
  #closed = false;
  #drained: (() => void)[] = [];

  constructor(storage: RoomStorage, reportError: (error: Error) => void) {
    this.#storage = storage;
    this.#reportError = reportError;
  }

  /**
   * Stores a room's accepted changes. Resolves once they are durable; rejects only if the writer
   * is closed before it could store them.
   */
  save(pathId: Id, changes: MergeableChanges): Promise<void> {
    if (this.#closed) {
      return Promise.reject(new Error(`room ${JSON.stringify(pathId)}: storage is closed`));
    }
    const stored = new Promise<void>((resolve, reject) => {
      this.#queue.push({pathId, changes, resolve, reject});
    });
    // Nobody has to wait for it: a failure is reported and retried here, not thrown at callers.
    stored.catch(() => {});
    if (!this.#writing && this.#retryTimer === undefined) {
      this.#writeQueued();
    }
    return stored;
  }

  /** The change sets of `pathId` not stored yet, oldest first. */
  pendingFor(pathId: Id): MergeableChanges[] {
    return this.#queue.filter((save) => save.pathId === pathId).map((save) => save.changes);
  }

  /** How many change sets wait to be stored. */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * Shutdown: makes one more attempt at whatever waits (without waiting for a retry), then stops.
   * Changes that still could not be stored are reported as lost.
   */
  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    if (this.#writing) {
      await new Promise<void>((resolve) => this.#drained.push(resolve));
    }
    this.#closed = true;
    if (this.#queue.length > 0 && this.#retryTimer === undefined) {
      await this.#writeQueued(true);
    }
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const lost = this.#queue.splice(0);
    if (lost.length > 0) {
      const rooms = [...new Set(lost.map((save) => JSON.stringify(save.pathId)))].join(', ');
      this.#reportError(
        new Error(
          `${lost.length} change set(s) of room(s) ${rooms} could not be stored before shutdown`,
        ),
      );
      for (const save of lost) {
        save.reject(new Error(`room ${JSON.stringify(save.pathId)}: not stored before shutdown`));
      }
    }
  }

  /**
   * Writes from the head of the queue until it is empty or a write fails. Runs synchronously
   * for as long as the storage answers synchronously; returns a promise once it has to wait.
   */
  #writeQueued(lastAttempt = false): Promise<void> | undefined {
    this.#writing = true;
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      let result: void | Promise<void>;
      try {
        result = this.#storage.saveChanges(head.pathId, head.changes);
      } catch (error) {
        this.#failed(head, error, lastAttempt);
        return undefined;
      }
      if (result instanceof Promise) {
        return result.then(
          () => {
            this.#stored(head);
            return this.#writeQueued(lastAttempt);
          },
          (error: unknown) => this.#failed(head, error, lastAttempt),
        );
      }
      this.#stored(head);
    }
    this.#writing = false;
    for (const resolve of this.#drained.splice(0)) {
      resolve();
    }
    return undefined;
  }

  #stored(head: PendingSave): void {
    this.#queue.shift();
    head.resolve();
    if (this.#failures > 0) {
      this.#failures = 0;
      this.#lastReported = undefined;
    }
  }

  #failed(head: PendingSave, error: unknown, lastAttempt: boolean): void {
    this.#writing = false;
    this.#failures++;
    const reason = describeStorageError(toError(error));
    // Once per outage and whenever the reason changes, not at every retry.
    if (reason !== this.#lastReported) {
      this.#lastReported = reason;
      this.#reportError(
        new Error(
          `room ${JSON.stringify(head.pathId)}: could not store changes (${this.#queue.length} waiting, retried until stored): ${reason}`,
        ),
      );
    }
    if (!lastAttempt && !this.#closed) {
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        void this.#writeQueued();
      }, retryDelay(this.#failures));
    }
    for (const resolve of this.#drained.splice(0)) {
      resolve();
    }
  }
}
