// The client end of the extension channel (docs/protocol.md §8.1): the handshake, which features
// become ready, what may be sent when, and that a lost socket takes everything back.
import {describe, expect, test} from 'vitest';
import {
  type ExtensionFeature,
  ExtensionLink,
} from '../../src/synchronizers/extensions/extension-link.js';
import {
  decodeExtensionFrame,
  type ExtensionFrame,
} from '../../src/synchronizers/extensions/wire.js';

const recordingFeature = (name: string) => {
  const events: unknown[] = [];
  const feature: ExtensionFeature = {
    name,
    onReady: () => events.push('ready'),
    onMessage: (type, body) => events.push([type, body]),
    onLost: () => events.push('lost'),
  };
  return {feature, events};
};

const openLink = () => {
  const errors: Error[] = [];
  const link = new ExtensionLink((error) => errors.push(error));
  const sent: ExtensionFrame[] = [];
  return {
    link,
    errors,
    sent,
    open: () =>
      link.open((payload) => {
        sent.push(decodeExtensionFrame(payload)!);
        return true;
      }),
  };
};

const hello = (features: string[], nodeId?: string): ExtensionFrame => ({
  feature: 'syncstore',
  type: 'hello',
  body: nodeId === undefined ? {features} : {features, nodeId},
});

describe('ExtensionLink', () => {
  test('says hello with its features, and readies those the server also speaks', () => {
    const {link, sent, open} = openLink();
    const presence = recordingFeature('presence');
    const delta = recordingFeature('delta');
    link.register(presence.feature);
    link.register(delta.feature);
    expect(link.getState()).toBe('unavailable');
    open();
    expect(link.getState()).toBe('negotiating');
    expect(sent).toEqual([hello(['presence', 'delta'])]);
    expect(link.send('presence', 'set', 1)).toBe(false);
    link.receive(hello(['presence'], 'node-1'));
    expect(link.getState()).toBe('ready');
    expect(link.getFeatures()).toEqual(['presence']);
    expect(link.getPeer()?.nodeId).toBe('node-1');
    expect(presence.events).toEqual(['ready']);
    expect(delta.events).toEqual([]);
    expect(link.send('presence', 'set', {x: undefined})).toBe(true);
    expect(sent.at(-1)).toEqual({feature: 'presence', type: 'set', body: {x: undefined}});
    expect(link.send('delta', 'since', 1)).toBe(false);
  });

  test('delivers frames only to ready features', () => {
    const {link, open} = openLink();
    const presence = recordingFeature('presence');
    const delta = recordingFeature('delta');
    link.register(presence.feature);
    link.register(delta.feature);
    open();
    link.receive({feature: 'presence', type: 'early', body: 0});
    link.receive(hello(['presence']));
    link.receive({feature: 'presence', type: 'state', body: 1});
    link.receive({feature: 'delta', type: 'changes', body: 2});
    expect(presence.events).toEqual(['ready', ['state', 1]]);
    expect(delta.events).toEqual([]);
  });

  test('a closed socket loses the ready features, and the next socket negotiates again', () => {
    const {link, sent, open} = openLink();
    const presence = recordingFeature('presence');
    link.register(presence.feature);
    const states: string[] = [];
    link.addStateListener((state) => states.push(state));
    open();
    link.receive(hello(['presence']));
    link.close();
    expect(link.getState()).toBe('unavailable');
    expect(link.getFeatures()).toEqual([]);
    expect(link.send('presence', 'set', 1)).toBe(false);
    open();
    link.receive(hello(['presence']));
    expect(presence.events).toEqual(['ready', 'lost', 'ready']);
    expect(states).toEqual(['negotiating', 'ready', 'unavailable', 'negotiating', 'ready']);
    expect(sent.filter((frame) => frame.feature === 'syncstore')).toHaveLength(2);
  });

  test('a feature registered on an open link renegotiates and readies only what is new', () => {
    const {link, sent, open} = openLink();
    const presence = recordingFeature('presence');
    const delta = recordingFeature('delta');
    link.register(presence.feature);
    open();
    link.receive(hello(['presence']));
    link.register(delta.feature);
    expect(sent.at(-1)).toEqual(hello(['presence', 'delta']));
    link.receive(hello(['presence', 'delta']));
    expect(presence.events).toEqual(['ready']);
    expect(delta.events).toEqual(['ready']);
  });

  test('a second feature of the same name, or the handshake name, is refused', () => {
    const {link} = openLink();
    link.register(recordingFeature('presence').feature);
    expect(() => link.register(recordingFeature('presence').feature)).toThrow(/already/);
    expect(() => link.register(recordingFeature('syncstore').feature)).toThrow(/already/);
  });

  test("a feature's fault and an invalid hello are reported, not thrown", () => {
    const {link, errors, open} = openLink();
    link.register({
      name: 'presence',
      onMessage: () => {
        throw new Error('feature fault');
      },
    });
    open();
    link.receive({feature: 'syncstore', type: 'hello', body: {features: 'all'}});
    expect(link.getState()).toBe('negotiating');
    link.receive(hello(['presence']));
    link.receive({feature: 'presence', type: 'x', body: null});
    expect(errors.map((error) => error.message)).toEqual([
      'invalid extension handshake: hello',
      'feature fault',
    ]);
  });
});
