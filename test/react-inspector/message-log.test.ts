// The Inspector's message log without React: inert until subscribed, bounded, per-peer totals,
// sizes as UTF-8 JSON, and a body that cannot be serialized counted as NaN instead of throwing.
import {describe, expect, test} from 'vitest';
import {createMessageLog, messageBytes} from '../../src/react-inspector/message-log.js';
import type {Id} from '../../src/store/types.js';
import {Message, type MessageListener, type Synchronizer} from '../../src/synchronizers/types.js';

/** Just addMessageListener and delListener, with a way to emit messages. */
function createMessageSource() {
  const listeners = new Map<Id, MessageListener>();
  let nextId = 0;
  const synchronizer = {
    addMessageListener: (listener: MessageListener) => {
      const id = String(nextId++);
      listeners.set(id, listener);
      return id;
    },
    delListener: (id: Id) => {
      listeners.delete(id);
      return synchronizer;
    },
  } as unknown as Synchronizer;
  return {
    synchronizer,
    listenerCount: () => listeners.size,
    emit(direction: 'sent' | 'received', peerId: Id | null, message: Message, body: unknown) {
      for (const listener of listeners.values()) {
        listener({direction, peerId, requestId: null, message, body}, synchronizer);
      }
    },
  };
}

describe('messageBytes', () => {
  test('is the UTF-8 length of [requestId, message, body] as JSON', () => {
    expect(messageBytes({requestId: null, message: Message.ContentDiff, body: 'é'})).toBe(
      '[null,3,"é"]'.length + 1,
    );
    expect(messageBytes({requestId: 'r1', message: Message.GetContentHashes, body: null})).toBe(
      '["r1",1,null]'.length,
    );
  });

  test('is NaN for a body JSON cannot carry', () => {
    expect(messageBytes({requestId: null, message: Message.ContentDiff, body: 1n})).toBeNaN();
  });
});

describe('createMessageLog', () => {
  test('listens only while subscribed, and logs in order', () => {
    const source = createMessageSource();
    const log = createMessageLog(source.synchronizer, 10);
    expect(source.listenerCount()).toBe(0);
    const changes: number[] = [];
    const unsubscribe = log.subscribe(() => changes.push(log.getSnapshot().total));
    expect(source.listenerCount()).toBe(1);
    source.emit('sent', null, Message.ContentHashes, {});
    source.emit('received', 'peer1', Message.ContentDiff, [{}, {}]);
    expect(changes).toEqual([1, 2]);
    expect(
      log.getSnapshot().entries.map(({direction, peerId, name}) => [direction, peerId, name]),
    ).toEqual([
      ['sent', null, 'ContentHashes'],
      ['received', 'peer1', 'ContentDiff'],
    ]);
    unsubscribe();
    expect(source.listenerCount()).toBe(0);
    source.emit('received', 'peer1', Message.ContentDiff, [{}, {}]);
    expect(log.getSnapshot().total).toBe(2);
  });

  test('keeps the newest `limit` entries and sums each peer; snapshots are never changed', () => {
    const source = createMessageSource();
    const log = createMessageLog(source.synchronizer, 2);
    log.subscribe(() => {});
    source.emit('sent', 'peer1', Message.GetTableDiff, ['t']);
    const first = log.getSnapshot();
    source.emit('received', 'peer1', Message.Response, {a: 1});
    source.emit('received', 'peer2', Message.ContentDiff, 1n);
    const snapshot = log.getSnapshot();
    expect(snapshot.total).toBe(3);
    expect(snapshot.entries.map((entry) => entry.sequence)).toEqual([2, 3]);
    expect(snapshot.entries[1].bytes).toBeNaN();
    expect(snapshot.peers).toEqual([
      expect.objectContaining({
        peerId: 'peer1',
        sent: 1,
        received: 1,
        bytesSent: messageBytes({requestId: null, message: Message.GetTableDiff, body: ['t']}),
        bytesReceived: messageBytes({requestId: null, message: Message.Response, body: {a: 1}}),
      }),
      expect.objectContaining({peerId: 'peer2', sent: 0, received: 1, bytesReceived: 0}),
    ]);
    expect(first.total).toBe(1);
    expect(first.entries).toHaveLength(1);
    expect(first.peers[0].received).toBe(0);
  });
});
