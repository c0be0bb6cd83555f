// The client's end of durable acknowledgements (docs/protocol.md §8.7): which local changes the
// server has confirmed stored, counted in the sync status as unconfirmedChanges.
//
// Every ContentDiff this client sends is followed by a mark `{id}` (ids only grow); the server
// answers `stored {id}` once everything this client sent before the mark is saved durably, which
// confirms every change sent up to that mark. Changes whose socket closed before their
// confirmation, and changes made offline (which peers pull after the reconnect announcement, so
// they never travel as this client's ContentDiff), are re-sent once the next socket is ready: as
// a ContentDiff addressed to the server's store alone (no TinyBase peer sees it), then a mark.
// Leaves are keyed as change-trees.ts leafKeysOf does, so a cell changed twice counts once.
import type {CellStamp, MergeableChanges, MergeableContent, ValueStamp} from '../../store/types.js';
import {sendChangesInParts} from '../splitting.js';
import {
  ACK_FAILED,
  ACK_FEATURE,
  ACK_MARK,
  ACK_STORED,
  type AckBody,
  parseAckBody,
} from './ack-wire.js';
import type {ExtensionFeature, ExtensionLink} from './extension-link.js';

export type AcknowledgementsOptions = {
  extensions: ExtensionLink;
  /** The local store's stamps, read when changes must be re-sent. */
  getContent(): MergeableContent;
  /** Sends a ContentDiff to the server's own store only (may throw MessageTooLarge). */
  sendToServer(changes: MergeableChanges): void;
  /** The new unconfirmedChanges; only called once a server has offered the feature. */
  report(unconfirmedChanges: number): void;
  onError(error: Error): void;
};

export class Acknowledgements implements ExtensionFeature {
  readonly name = ACK_FEATURE;
  readonly #options: AcknowledgementsOptions;
  /** Leaves sent on the current socket, each with the id of the mark that covers it. */
  readonly #sent = new Map<string, number>();
  /** Leaves the server may lack (their socket closed, or they were made offline): to re-send. */
  readonly #toResend = new Set<string>();
  #nextMarkId = 1;
  /** Whether a server offered the feature yet: until then the status has no unconfirmedChanges. */
  #reporting = false;

  constructor(options: AcknowledgementsOptions) {
    this.#options = options;
    // Until a server confirms, nothing is counted: on a server that never will (TinyBase's, a
    // relay), remembering every leaf sent would only cost memory.
    options.extensions.addStateListener((state) => {
      if (state === 'ready' && !this.#reporting && !options.extensions.has(ACK_FEATURE)) {
        this.#sent.clear();
        this.#toResend.clear();
      }
    });
  }

  /** The engine's report of local changes leaving (synchronizer.ts onLocalChangesOut). */
  readonly onLocalChangesOut = (leafKeys: string[], how: 'sent' | 'announced'): void => {
    if (!this.#reporting && this.#options.extensions.getState() !== 'negotiating') {
      return;
    }
    if (how === 'announced') {
      for (const key of leafKeys) {
        this.#toResend.add(key);
      }
      this.#resend();
    } else {
      const id = this.#nextMarkId++;
      for (const key of leafKeys) {
        this.#toResend.delete(key);
        this.#sent.set(key, id);
      }
      this.#mark(id);
    }
    this.#report();
  };

  onReady(): void {
    this.#reporting = true;
    // What went out on this socket before the handshake finished is covered by a mark now (the
    // re-send's own mark, if there was one to make).
    if (!this.#resend() && this.#sent.size > 0) {
      this.#mark(this.#nextMarkId++);
    }
    this.#report();
  }

  onMessage(type: string, body: unknown): void {
    const answer = parseAckBody(body);
    if (answer === undefined || (type !== ACK_STORED && type !== ACK_FAILED)) {
      this.#options.onError(new Error(`invalid ${ACK_FEATURE} frame from the server: ${type}`));
      return;
    }
    if (type === ACK_FAILED) {
      this.#options.onError(
        new Error(
          'the server could not store some changes; they are sent again after reconnecting',
        ),
      );
    }
    this.#settle(answer, type === ACK_FAILED);
    this.#report();
  }

  onLost(): void {
    this.connectionLost();
  }

  /** The socket closed (ready or not): nothing sent on it can be confirmed any more. */
  connectionLost(): void {
    for (const key of this.#sent.keys()) {
      this.#toResend.add(key);
    }
    this.#sent.clear();
  }

  /** Mark `id` answered: its leaves are confirmed, or, if the server failed, to be re-sent. */
  #settle({id}: AckBody, failed: boolean): void {
    for (const [key, markId] of this.#sent) {
      if (markId <= id) {
        this.#sent.delete(key);
        if (failed) {
          this.#toResend.add(key);
        }
      }
    }
  }

  #mark(id: number): void {
    this.#options.extensions.send(ACK_FEATURE, ACK_MARK, {id});
  }

  /**
   * Re-sends the leaves the server may lack, when the feature is usable, then marks them.
   * Returns whether it sent a mark.
   */
  #resend(): boolean {
    if (this.#toResend.size === 0 || !this.#options.extensions.has(ACK_FEATURE)) {
      return false;
    }
    const changes = changesOfLeaves(this.#options.getContent(), this.#toResend);
    try {
      sendChangesInParts(changes, this.#options.sendToServer);
    } catch (error) {
      this.#options.onError(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
    const id = this.#nextMarkId++;
    for (const key of this.#toResend) {
      this.#sent.set(key, id);
    }
    this.#toResend.clear();
    this.#mark(id);
    return true;
  }

  #report(): void {
    if (this.#reporting) {
      this.#options.report(this.#sent.size + this.#toResend.size);
    }
  }
}

/**
 * The current stamps of the leaves keyed in `leafKeys`, as a change set. A leaf the store no
 * longer has (it cannot lose one: deletions are tombstones) is skipped.
 */
const changesOfLeaves = (
  [[tables], [values]]: MergeableContent,
  leafKeys: ReadonlySet<string>,
): MergeableChanges => {
  const changes: MergeableChanges = [[{}], [{}], 1];
  for (const key of leafKeys) {
    const path = JSON.parse(key) as string[];
    if (path.length === 1) {
      const stamp = values[path[0]];
      if (stamp !== undefined) {
        changes[1][0][path[0]] = [stamp[0], stamp[1]] as ValueStamp;
      }
      continue;
    }
    const [tableId, rowId, cellId] = path;
    const stamp = tables[tableId]?.[0][rowId]?.[0][cellId];
    if (stamp !== undefined) {
      const changedTables = changes[0][0];
      changedTables[tableId] ??= [{}];
      changedTables[tableId][0][rowId] ??= [{}];
      changedTables[tableId][0][rowId][0][cellId] = [stamp[0], stamp[1]] as CellStamp;
    }
  }
  return changes;
};
