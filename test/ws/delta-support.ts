// Helpers for the delta resync tests (docs/protocol.md §8.8): a WebSocket class that records every
// frame both ways, rooms seeded straight into SQLite, and writes from a raw socket.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {WebSocket} from 'ws';
import {createSqliteStorage} from '../../src/server/sqlite-storage.js';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableChanges, MergeableStore} from '../../src/store/types.js';
import {createTransactionId} from '../../src/synchronizers/ids.js';
import {encodeRemainder} from '../../src/synchronizers/ws/frames.js';
import type {Cleanups, RawClient} from './support.js';

/** Every frame a client's sockets sent and received, in order, with the time it passed. */
export type Wire = {frames: {direction: 'sent' | 'received'; frame: string}[]};

/** A `ws` WebSocket class whose instances record their frames in `wire`. */
export const recordingWebSocket = (wire: Wire) =>
  class RecordingWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      this.on('message', (data) =>
        wire.frames.push({direction: 'received', frame: data.toString()}),
      );
    }

    override send(data: unknown, ...rest: unknown[]): void {
      wire.frames.push({direction: 'sent', frame: String(data)});
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  };

const bytes = (frame: string) => Buffer.byteLength(frame, 'utf8');

/** What crossed the wire since `from` (an index into wire.frames). */
export const trafficSince = (wire: Wire, from: number) => {
  const frames = wire.frames.slice(from);
  const sent = frames.filter((entry) => entry.direction === 'sent');
  const received = frames.filter((entry) => entry.direction === 'received');
  return {
    frames,
    bytes: frames.reduce((sum, entry) => sum + bytes(entry.frame), 0),
    sent: sent.map((entry) => entry.frame),
    received: received.map((entry) => entry.frame),
  };
};

/** The extension frames of a list other than presence's, as [feature, type]. */
export const extensionTypes = (frames: string[]) =>
  frames
    .filter((frame) => frame.startsWith('~\n'))
    .map((frame) => (JSON.parse(frame.slice(2)) as [string, string]).slice(0, 2).join('/'))
    // Presence (§8.2) and, with storage, acknowledgements (§8.7) are negotiated beside delta and
    // exchange their own frames on every link; they are not part of the resync.
    .filter((type) => !type.startsWith('presence/') && !type.startsWith('ack/'));

/** Base-protocol requests among frames a client sent (message numbers 1 and 4..7). */
export const baseRequests = (frames: string[]) =>
  frames.filter((frame) => /^[^\n~]*\n\["[^"]*",[14567],/.test(frame));

/** `rows` rows of one cell each in table `t`, written by a store with `uniqueId`. */
export const filledStore = (uniqueId: string, rows: number): MergeableStore => {
  const store = createMergeableStore(uniqueId);
  store.transaction(() => {
    for (let row = 0; row < rows; row++) {
      store.setCell('t', `r${row}`, 'c', `value of row ${row}`);
    }
  });
  return store;
};

/** A SQLite file in a fresh temporary folder, removed after the test. */
export const sqliteFile = (cleanups: Cleanups): string => {
  const folder = mkdtempSync(join(tmpdir(), 'syncstore-delta-'));
  cleanups.push(() => rmSync(folder, {recursive: true, force: true}));
  return join(folder, 'rooms.db');
};

/** Writes `content` into room `pathId` of the SQLite file, as if clients had synced it. */
export const seedRoom = (fileName: string, pathId: string, store: MergeableStore): void => {
  const storage = createSqliteStorage(fileName);
  storage.saveChanges(pathId, store.getMergeableContent() as unknown as MergeableChanges);
  storage.close();
};

/** The unhashed changes that write `cells` (row id -> value) in table `t` with `writer`'s clock. */
export const writeWith = (
  writer: MergeableStore,
  cells: Record<string, string>,
): MergeableChanges => {
  let changes: MergeableChanges | undefined;
  const listenerId = writer.addDidFinishTransactionListener(() => {
    changes = writer.getTransactionMergeableChanges() as MergeableChanges;
  });
  writer.transaction(() => {
    for (const [rowId, value] of Object.entries(cells)) {
      writer.setCell('t', rowId, 'c', value);
    }
  });
  writer.delListener(listenerId);
  return changes!;
};

/** Broadcasts a ContentDiff from a raw client, as any peer writing would. */
export const sendContentDiff = (client: RawClient, changes: MergeableChanges): void =>
  client.send(`\n${encodeRemainder(createTransactionId(), 3, changes)}`);

/** The JSON size of cells as a mergeable store holds them: each value with its HLC. */
export const stampBytes = (changes: MergeableChanges): number => bytes(JSON.stringify(changes));

/** `count` distinct rows' new values, e.g. {r0: 'x0', ...}, from row `offset` on. */
export const newValues = (count: number, tag: string, offset = 0): Record<string, string> =>
  Object.fromEntries(
    Array.from({length: count}, (_, index) => [`r${offset + index}`, `${tag} ${offset + index}`]),
  );
