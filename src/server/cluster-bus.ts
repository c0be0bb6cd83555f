// How server nodes sharing a PostgreSQL database tell each other that a room changed
// (docs/protocol.md §7.8). A notice carries only the room and its new sequence number; whoever
// hears it reads the rows themselves from PostgreSQL, so a lost notice costs latency, never data.
import type {Id} from '../store/types.js';

/** Room `pathId` (undefined: maybe any room) was stored up to `seq` by node `nodeId`. */
export type RoomNotice = {pathId: Id | undefined; seq: number; nodeId: string};

export interface ClusterBusHandlers {
  /** A notice from any node, this one included. */
  onNotice(notice: RoomNotice): void;
  /** The bus connection (re)opened: notices may have been missed while it was down. */
  onConnected(): void;
  /** The bus failed; it reconnects by itself. */
  onError(error: Error): void;
}

/** A publish/subscribe channel between nodes: PostgreSQL LISTEN/NOTIFY or Redis pub/sub. */
export interface ClusterBus {
  /** Starts listening; the handlers are called from then until close. */
  start(handlers: ClusterBusHandlers): void;
  /** Tells every node (this one too) about a stored change. */
  publish(notice: RoomNotice): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL's NOTIFY payload limit is 8000 bytes; room ids longer than this go unnamed. */
const MAX_NOTICE_BYTES = 7900;

export const encodeNotice = ({pathId, seq, nodeId}: RoomNotice): string => {
  const named = JSON.stringify({r: pathId, s: seq, n: nodeId});
  // Unnamed, the notice makes every node catch up on all its rooms: slower, still correct.
  return Buffer.byteLength(named) <= MAX_NOTICE_BYTES ? named : JSON.stringify({s: seq, n: nodeId});
};

/** A notice from the bus, or undefined for anything that is not one (reported by the caller). */
export const decodeNotice = (payload: string): RoomNotice | undefined => {
  try {
    const {r, s, n} = JSON.parse(payload) as {r?: unknown; s?: unknown; n?: unknown};
    if (
      (r === undefined || typeof r === 'string') &&
      typeof s === 'number' &&
      typeof n === 'string'
    ) {
      return {pathId: r, seq: s, nodeId: n};
    }
  } catch {
    // not JSON: falls through
  }
  return undefined;
};
