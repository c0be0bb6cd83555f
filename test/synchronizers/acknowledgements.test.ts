// The client's end of durable acknowledgements (docs/protocol.md §8.7) on a real ExtensionLink
// whose frames the test reads and answers: what is marked, what a `stored` or `failed` answer
// settles, what is re-sent after a lost socket, and that nothing is remembered for a server that
// never confirms.
import {describe, expect, test} from 'vitest';
import {createMergeableStore} from '../../src/store/mergeable-store.js';
import type {MergeableChanges} from '../../src/store/types.js';
import {leafKeysOf} from '../../src/synchronizers/change-trees.js';
import {Acknowledgements} from '../../src/synchronizers/extensions/acknowledgements.js';
import {ExtensionLink} from '../../src/synchronizers/extensions/extension-link.js';
import {decodeExtensionFrame} from '../../src/synchronizers/extensions/wire.js';

const setUp = () => {
  const store = createMergeableStore('client');
  const errors: Error[] = [];
  const link = new ExtensionLink((error) => errors.push(error));
  const frames: [string, string, unknown][] = [];
  const resent: MergeableChanges[] = [];
  const reported: number[] = [];
  const acknowledgements = new Acknowledgements({
    extensions: link,
    getContent: () => store.getMergeableContent(),
    sendToServer: (changes) => resent.push(changes),
    report: (count) => reported.push(count),
    onError: (error) => errors.push(error),
  });
  link.register(acknowledgements);
  /** A socket opened with the extension subprotocol: the hello is sent, not yet answered. */
  const connect = () =>
    link.open((payload) => {
      const frame = decodeExtensionFrame(payload)!;
      frames.push([frame.feature, frame.type, frame.body]);
      return true;
    });
  const hello = (features: string[]) =>
    link.receive({feature: 'syncstore', type: 'hello', body: {features}});
  const open = (features: string[]) => {
    connect();
    hello(features);
  };
  const answer = (type: string, id: number) => link.receive({feature: 'ack', type, body: {id}});
  const marks = () => frames.filter(([feature]) => feature === 'ack').map(([, , body]) => body);
  /** Writes a cell and tells the acknowledgements it was sent, as the engine does. */
  const send = (rowId: string, cell: string | number) => {
    store.setCell('t', rowId, 'c', cell);
    const sent: MergeableChanges = [[{t: [{[rowId]: [{c: [cell]}]}]}], [{}], 1];
    acknowledgements.onLocalChangesOut(leafKeysOf(sent), 'sent');
  };
  return {
    ...{store, link, acknowledgements, connect, hello, open, answer, marks, send},
    ...{resent, reported, errors},
  };
};

describe('Acknowledgements', () => {
  test('each change sent is followed by a mark; stored settles every mark up to its id', () => {
    const {open, answer, marks, send, reported} = setUp();
    open(['ack']);
    send('r1', 1);
    send('r2', 2);
    send('r1', 3);
    expect(marks()).toEqual([{id: 1}, {id: 2}, {id: 3}]);
    expect(reported.at(-1)).toBe(2); // r1 and r2

    answer('stored', 2); // r1 was sent again in mark 3
    expect(reported.at(-1)).toBe(1);
    answer('stored', 3);
    expect(reported.at(-1)).toBe(0);
  });

  test('changes of a lost socket are re-sent to the server store on the next one, then marked', () => {
    const {link, acknowledgements, open, answer, marks, send, resent, reported} = setUp();
    open(['ack']);
    send('r1', 'kept');
    link.close();
    acknowledgements.connectionLost();
    expect(reported.at(-1)).toBe(1);

    open(['ack']);
    expect(resent).toEqual([[[{t: [{r1: [{c: ['kept', expect.any(String)]}]}]}], [{}], 1]]);
    expect(marks().at(-1)).toEqual({id: 2});
    answer('stored', 1); // a stale id settles nothing new
    expect(reported.at(-1)).toBe(1);
    answer('stored', 2);
    expect(reported.at(-1)).toBe(0);
  });

  test('a failed answer keeps the changes unconfirmed and reports it; the next socket re-sends them', () => {
    const {link, open, answer, send, resent, reported, errors} = setUp();
    open(['ack']);
    send('r1', 1);
    answer('failed', 1);
    expect(reported.at(-1)).toBe(1);
    expect(errors.map(String).join()).toContain('could not store');
    expect(resent).toEqual([]);
    link.close();
    open(['ack']);
    expect(resent).toHaveLength(1);
  });

  test('changes made offline count once announced, and are re-sent when the feature is ready', () => {
    const {link, acknowledgements, open, resent, reported} = setUp();
    open(['ack']);
    link.close();
    acknowledgements.onLocalChangesOut(['["t","r","c"]', '["v"]'], 'announced');
    expect(reported.at(-1)).toBe(2);
    expect(resent).toEqual([]);
    open(['ack']);
    expect(resent).toHaveLength(1);
  });

  test('nothing is counted or remembered for a server that does not confirm', () => {
    const {link, connect, hello, open, send, marks, resent, reported} = setUp();
    connect();
    send('r1', 1); // while the handshake runs, the server may yet confirm
    hello([]);
    send('r2', 2);
    expect(marks()).toEqual([]);
    expect(reported).toEqual([]);
    link.close();
    open(['ack']); // a later node that confirms has nothing of before to re-send
    expect(resent).toEqual([]);
    expect(reported.at(-1)).toBe(0);
  });

  test('what went out during the handshake is marked once the server speaks the feature', () => {
    const {connect, hello, answer, send, marks, reported} = setUp();
    connect();
    send('r1', 1);
    expect(marks()).toEqual([]);
    hello(['ack']);
    expect(marks()).toEqual([{id: 2}]);
    expect(reported.at(-1)).toBe(1);
    answer('stored', 2);
    expect(reported.at(-1)).toBe(0);
  });

  test('an unknown answer is reported, never thrown', () => {
    const {open, answer, errors} = setUp();
    open(['ack']);
    answer('bogus', 1);
    expect(errors.map(String).join()).toContain('invalid ack frame');
  });
});
