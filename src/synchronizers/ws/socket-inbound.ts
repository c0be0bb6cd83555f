// What a WebSocket client has received but not yet read, as the engine's InboundQueue
// (delivery-queue.ts, docs/protocol.md §7.3). In Node, the event loop runs due timers before it
// reads the sockets: when a peer in the same process (a server, another client) held the loop
// while computing a large answer, a request's deadline fires with that answer already received by
// the kernel and not yet read. Node's check phase (setImmediate) comes right after the sockets
// are read, so a deadline judged there has seen everything that arrived before it. Browsers have
// no such phase and no way to tell: there the deadline is final when seen.
import type {InboundQueue} from '../delivery-queue.js';

type Immediate = unknown;
const host = globalThis as {
  setImmediate?: (callback: () => void) => Immediate;
  clearImmediate?: (handle: Immediate) => void;
};

export const SOCKET_INBOUND: InboundQueue = {
  afterQueued: (callback) => {
    if (host.setImmediate === undefined || host.clearImmediate === undefined) {
      callback();
      return () => {};
    }
    const handle = host.setImmediate(callback);
    return () => host.clearImmediate!(handle);
  },
};
