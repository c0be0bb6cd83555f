// What a transport that queues outgoing frames (the WebSocket client, docs/protocol.md §6.7) tells
// the engine about them. A request handed over while megabytes wait before it in the client's
// queue or socket buffer has not reached its peer yet; its deadline counts the time the peer could
// have answered, so it starts when the request frame has been written out (docs/protocol.md §7.3).

export interface OutboundQueue {
  /**
   * Calls `callback` once every frame handed to the transport so far has been written out to the
   * network, or can never be (the socket closed): at once (synchronously) when none is waiting.
   * Returns a function that cancels it.
   */
  afterSent(callback: () => void): () => void;
}

/** A transport that writes each frame as it is handed over (in-process, BroadcastChannel). */
export const NOTHING_WAITING_TO_SEND: OutboundQueue = {
  afterSent: (callback) => {
    callback();
    return () => {};
  },
};
