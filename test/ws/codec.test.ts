// The wire format's pure parts: framing, undefined markers, fragments, reassembly limits, UTF-8
// sizes and the multiplex control messages (docs/protocol.md §6.2, §6.3, §6.5).
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {PayloadDecoder} from '../../src/synchronizers/ws/decoder.js';
import {fragmentRemainder, parseFragment} from '../../src/synchronizers/ws/fragments.js';
import {decodeRemainder, encodeRemainder, splitPrefix} from '../../src/synchronizers/ws/frames.js';
import {
  channelPath,
  checkChannelId,
  encodeControl,
  parseChannelFrame,
  parseControl,
} from '../../src/synchronizers/ws/multiplex-protocol.js';
import {FragmentReassembler} from '../../src/synchronizers/ws/reassembly.js';
import {utf8ByteLength} from '../../src/synchronizers/ws/utf8.js';

/** An error whose message is exactly `code` (syncstore's explanation lives in `detail`). */
const withCode = (code: string) => expect.objectContaining({message: code});
const decoder = () => new PayloadDecoder(1000);

describe('framing', () => {
  test('a deletion travels as the raw marker string, as in TinyBase traces', () => {
    const remainder = encodeRemainder('heuew2SgjJX', 3, [
      [{t1: [{r1: [{c1: [undefined, 'Nn1JUFJ---04JQFF']}]}]}],
      [{}],
      1,
    ]);
    expect(remainder).toBe(
      '["heuew2SgjJX",3,[[{"t1":[{"r1":[{"c1":["\uFFFC","Nn1JUFJ---04JQFF"]}]}]}],[{}],1]]',
    );
    expect(decodeRemainder(remainder)).toEqual([
      'heuew2SgjJX',
      3,
      [[{t1: [{r1: [{c1: [undefined, 'Nn1JUFJ---04JQFF']}]}]}], [{}], 1],
    ]);
  });

  test('undefined object properties survive, null stays null', () => {
    const body = {a: undefined, b: null, c: [undefined, null]};
    const decoded = decodeRemainder(encodeRemainder(null, 7, body));
    expect(decoded?.[2]).toStrictEqual({a: undefined, b: null, c: [undefined, null]});
  });

  test('a "__proto__" id holding a deletion stays an own property', () => {
    const remainder =
      '[null,3,[[{"__proto__":[{"r":[{"c":["\uFFFC","Nn1JUFJ---04JQFF"]}]}]}],[{}],1]]';
    const decoded = decodeRemainder(remainder)!;
    const tables = (decoded[2] as [[Record<string, unknown>]])[0][0];
    expect(Object.hasOwn(tables, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(tables)).toBe(Object.prototype);
  });

  test('splits on the first newline only', () => {
    expect(splitPrefix('abc\n["x\\n",1,""]')).toEqual(['abc', '["x\\n",1,""]']);
    expect(splitPrefix('no newline')).toBeUndefined();
  });

  test('rejects what is not a three-element JSON array', () => {
    expect(decodeRemainder('not json')).toBeUndefined();
    expect(decodeRemainder('[1,2]')).toBeUndefined();
    expect(decodeRemainder('[null,1,"",4]')).toBeUndefined();
    expect(decodeRemainder('{"a":1}')).toBeUndefined();
  });

  test('round-trips any JSON body (property)', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string()),
        fc.integer(),
        fc.jsonValue(),
        (requestId, message, body) => {
          const decoded = decodeRemainder(encodeRemainder(requestId, message, body));
          expect(decoded).toEqual([requestId, message, body === '\uFFFC' ? undefined : body]);
        },
      ),
      {seed: 4, numRuns: 300},
    );
  });
});

describe('UTF-8 sizes', () => {
  test('match the encoder for any string, lone surrogates included (property)', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({unit: 'binary'}), (text) => {
        expect(utf8ByteLength(text)).toBe(encoder.encode(text).length);
      }),
      {seed: 5, numRuns: 500},
    );
  });
});

describe('fragments', () => {
  test('a message that fits stays one plain frame', () => {
    expect(fragmentRemainder('[null,1,""]', 100)).toEqual(['[null,1,""]']);
  });

  test('splits on code points and reassembles in any order (property)', () => {
    fc.assert(
      fc.property(
        fc.string({unit: 'binary', minLength: 1, maxLength: 400}),
        fc.integer({min: 1, max: 40}),
        fc.integer(),
        (text, size, shuffleSeed) => {
          const remainder = JSON.stringify([null, 3, text]);
          const parts = fragmentRemainder(remainder, size);
          const fragments = parts.map((part) => parseFragment(part));
          if (parts.length === 1) {
            expect(parts[0]).toBe(remainder);
            return;
          }
          const target = Math.max(size, Math.ceil(utf8ByteLength(remainder) / 1000) + 3);
          for (const fragment of fragments) {
            expect(fragment).toBeDefined();
            expect(fragment!.total).toBe(parts.length);
            // Never a split surrogate pair, never more than the target (every code point <= 4 bytes).
            expect(utf8ByteLength(fragment!.text)).toBeLessThanOrEqual(Math.max(target, 4));
          }
          expect(fragments.map((fragment) => fragment!.text).join('')).toBe(remainder);
          const order = parts
            .map((_, index) => index)
            .sort((a, b) => ((a * 7919 + shuffleSeed) % 13) - ((b * 7919 + shuffleSeed) % 13));
          const reassembler = new FragmentReassembler({expiryMs: 1000});
          let complete: string | undefined;
          for (const index of order) {
            const result = reassembler.add(
              'k',
              fragments[index]!,
              parts[index]!,
              utf8ByteLength(parts[index]!),
            );
            if (result.status === 'complete') {
              complete = result.text;
              expect(result.remainders).toEqual(parts);
            }
          }
          expect(complete).toBe(remainder);
        },
      ),
      {seed: 6, numRuns: 300},
    );
  });

  test('never needs more than 1000 fragments', () => {
    const remainder = JSON.stringify([null, 3, 'x'.repeat(50_000)]);
    const parts = fragmentRemainder(remainder, 1);
    expect(parts.length).toBeLessThanOrEqual(1000);
    expect(parts.length).toBeGreaterThan(900);
  });

  test('surrogate pairs are never cut', () => {
    const remainder = JSON.stringify([null, 3, '😀'.repeat(50)]);
    for (const part of fragmentRemainder(remainder, 5)) {
      const {text} = parseFragment(part)!;
      expect(/[\uD800-\uDBFF]$/.test(text)).toBe(false);
      expect(/^[\uDC00-\uDFFF]/.test(text)).toBe(false);
    }
  });
});

describe('reassembly limits', () => {
  const fragment = (index: number, total: number, text = 'x', messageId = 'AAAAAAAAAAAAAAAA') => ({
    messageId,
    index,
    total,
    text,
  });

  test('more than 1000 fragments is an overflow', () => {
    const result = new FragmentReassembler({expiryMs: 1000}).add('k', fragment(0, 1001), '', 1);
    expect(result).toMatchObject({status: 'error', error: withCode('tinybase:15:fragments')});
  });

  test('bad index, duplicate index and changed total are invalid', () => {
    const reassembler = new FragmentReassembler({expiryMs: 1000});
    expect(reassembler.add('a', fragment(2, 2), '', 1)).toMatchObject({
      error: withCode('tinybase:14'),
    });
    expect(reassembler.add('b', fragment(0, 0), '', 1)).toMatchObject({
      error: withCode('tinybase:14'),
    });
    expect(reassembler.add('c', fragment(0, 3), '', 1)).toEqual({status: 'pending'});
    expect(reassembler.add('c', fragment(0, 3), '', 1)).toMatchObject({
      error: withCode('tinybase:14'),
    });
    expect(reassembler.add('c', fragment(1, 4), '', 1)).toMatchObject({
      error: withCode('tinybase:14'),
    });
  });

  test('more than 100 partial messages is an overflow', () => {
    const reassembler = new FragmentReassembler({expiryMs: 1000});
    for (let index = 0; index < 100; index++) {
      expect(reassembler.add(`k${index}`, fragment(0, 2), '', 1).status).toBe('pending');
    }
    expect(reassembler.add('k100', fragment(0, 2), '', 1)).toMatchObject({
      error: withCode('tinybase:15:fragments'),
    });
  });

  test('more than 16 MiB retained is an overflow', () => {
    const reassembler = new FragmentReassembler({expiryMs: 1000});
    expect(reassembler.add('a', fragment(0, 3), '', 10 * 1024 * 1024).status).toBe('pending');
    expect(reassembler.add('b', fragment(0, 3), '', 7 * 1024 * 1024)).toMatchObject({
      error: withCode('tinybase:15:fragments'),
    });
  });

  test('partial messages expire and free their quota', () => {
    let now = 0;
    const reassembler = new FragmentReassembler({expiryMs: 1000, now: () => now});
    reassembler.add('a', fragment(0, 2, 'ab'), '', 2);
    now = 1001;
    // The late second half starts a new message that never completes.
    expect(reassembler.add('a', fragment(1, 2, 'cd'), '', 2)).toEqual({status: 'pending'});
    expect(reassembler.getPartialCount()).toBe(1);
    expect(reassembler.getRetainedBytes()).toBe(2);
  });
});

describe('reassembly expiry timer', () => {
  /** A clock and timers the test moves by hand. */
  const manualTime = () => {
    const clock = {now: 0, timers: new Map<number, {at: number; callback: () => void}>()};
    let nextTimer = 0;
    return {
      clock,
      options: {
        expiryMs: 1000,
        now: () => clock.now,
        setTimer: (callback: () => void, ms: number) => {
          clock.timers.set(nextTimer, {at: clock.now + ms, callback});
          return nextTimer++;
        },
        clearTimer: (timer: unknown) => clock.timers.delete(timer as number),
      },
      advance: (ms: number) => {
        clock.now += ms;
        for (const [id, timer] of [...clock.timers]) {
          if (timer.at <= clock.now && clock.timers.delete(id)) {
            timer.callback();
          }
        }
      },
    };
  };
  const half = (index: number, messageId: string) => ({messageId, index, total: 2, text: 'ab'});

  test('a message never completed is dropped after the expiry even if nothing more arrives', () => {
    const time = manualTime();
    const reassembler = new FragmentReassembler(time.options);
    reassembler.add('a', half(0, 'AAAAAAAAAAAAAAAA'), '', 2);
    time.advance(500);
    reassembler.add('b', half(0, 'BBBBBBBBBBBBBBBB'), '', 3);
    expect([reassembler.getPartialCount(), reassembler.getRetainedBytes()]).toEqual([2, 5]);
    expect(time.clock.timers.size).toBe(1);
    time.advance(500);
    // 'a' is 1000 ms old: gone, with its bytes; 'b' goes 500 ms later.
    expect([reassembler.getPartialCount(), reassembler.getRetainedBytes()]).toEqual([1, 3]);
    expect(time.clock.timers.size).toBe(1);
    time.advance(500);
    expect([reassembler.getPartialCount(), reassembler.getRetainedBytes()]).toEqual([0, 0]);
    // Nothing buffered, nothing scheduled.
    expect(time.clock.timers.size).toBe(0);
  });

  test('completing the last partial message, or clear() (a reset or destroy), stops the timer', () => {
    const time = manualTime();
    const reassembler = new FragmentReassembler(time.options);
    reassembler.add('a', half(0, 'AAAAAAAAAAAAAAAA'), '', 2);
    expect(time.clock.timers.size).toBe(1);
    expect(reassembler.add('a', half(1, 'AAAAAAAAAAAAAAAA'), '', 2).status).toBe('complete');
    expect(time.clock.timers.size).toBe(0);
    reassembler.add('b', half(0, 'BBBBBBBBBBBBBBBB'), '', 2);
    expect(time.clock.timers.size).toBe(1);
    reassembler.clear();
    expect([reassembler.getPartialCount(), time.clock.timers.size]).toEqual([0, 0]);
  });
});

describe('payload decoder', () => {
  test('decodes a plain payload and validates it', () => {
    expect(decoder().decode('abc\n["x",1,""]')).toMatchObject({
      status: 'message',
      prefix: 'abc',
      requestId: 'x',
      message: 1,
      body: '',
    });
    expect(decoder().decode('\n["x",1,"nope"]')).toMatchObject({error: withCode('tinybase:14')});
    expect(decoder().decode('\n["x",99,""]')).toMatchObject({error: withCode('tinybase:14')});
    expect(decoder().decode('no newline')).toMatchObject({error: withCode('tinybase:14')});
    expect(decoder().decode('\nnot json')).toMatchObject({error: withCode('tinybase:14')});
  });

  test('oversized frames are overflows', () => {
    expect(decoder().decode('\n["x",1,""]', 16 * 1024 * 1024 + 1)).toMatchObject({
      error: withCode('tinybase:15:socket'),
    });
    expect(decoder().decode('\nAAAAAAAAAAAAAAAA\n0\n2\n[', 16 * 1024 * 1024 + 1)).toMatchObject({
      error: withCode('tinybase:15:fragments'),
    });
  });

  test('reassembles fragments from one sender, keeps them apart from another', () => {
    const parts = fragmentRemainder(
      encodeRemainder('r', 3, [[{t: [{r: [{c: [1, 'Nn1JUF-----7JQY8']}]}]}], [{}], 1]),
      10,
    );
    const payloadDecoder = decoder();
    // Each fragment taken in says whose message is arriving (docs/protocol.md §7.3).
    expect(payloadDecoder.decode(`A\n${parts[0]}`)).toEqual({status: 'pending', prefix: 'A'});
    for (const part of parts.slice(1, -1)) {
      expect(payloadDecoder.decode(`B\n${part}`)).toEqual({status: 'pending', prefix: 'B'});
      expect(payloadDecoder.decode(`A\n${part}`)).toEqual({status: 'pending', prefix: 'A'});
    }
    const result = payloadDecoder.decode(`A\n${parts.at(-1)}`);
    expect(result).toMatchObject({status: 'message', prefix: 'A', message: 3});
    expect(result.status === 'message' && result.remainders).toEqual(parts);
  });

  test('a complete but invalid fragmented message is invalid', () => {
    const parts = fragmentRemainder('["r",3,"not changes"]', 5);
    const payloadDecoder = decoder();
    const results = parts.map((part) => payloadDecoder.decode(`\n${part}`));
    expect(results.at(-1)).toMatchObject({error: withCode('tinybase:14')});
  });
});

describe('multiplex protocol', () => {
  test('control messages', () => {
    expect(encodeControl('abcdefghijklmnop', 0, 1)).toBe('S\n["abcdefghijklmnop",-1,[0,1]]');
    expect(parseControl('S\n["abcdefghijklmnop",-1,[0,1]]')).toEqual({
      control: 0,
      requestId: 'abcdefghijklmnop',
      arg: 1,
    });
    expect(parseControl('S\n["id",-1,[1,"pets"]]')).toEqual({
      control: 1,
      requestId: 'id',
      arg: 'pets',
    });
    expect(parseControl('S\n[null,-1,[2,"pets"]]')).toEqual({
      control: 2,
      requestId: null,
      arg: 'pets',
    });
    expect(parseControl('S\n["id",-1,[0,2]]')).toBeUndefined();
    expect(parseControl('S\n[null,-1,[1,"pets"]]')).toBeUndefined();
    expect(parseControl('S\n["id",-1,[2,"pets"]]')).toBeUndefined();
    expect(parseControl('S\n["id",1,""]')).toBeUndefined();
  });

  test('channel frames and paths', () => {
    expect(parseChannelFrame('M\npets\n\n["x",1,""]')).toEqual(['pets', '\n["x",1,""]']);
    expect(parseChannelFrame('M\npets')).toBeUndefined();
    expect(channelPath('', 'x')).toBe('x');
    expect(channelPath('base', 'x/y')).toBe('base/x/y');
  });

  test('channel ids', () => {
    expect(checkChannelId('pets')).toBe('valid');
    expect(checkChannelId('a/b/c')).toBe('valid');
    for (const bad of [
      '',
      'a//b',
      '/a',
      'a/',
      '.',
      '..',
      'a/../b',
      'a\nb',
      'a\rb',
      'a?b',
      'a#b',
      42,
    ]) {
      expect(checkChannelId(bad)).toBe('invalid');
    }
    expect(checkChannelId('x'.repeat(1024))).toBe('valid');
    expect(checkChannelId('x'.repeat(1025))).toBe('oversized');
    expect(checkChannelId('é'.repeat(513))).toBe('oversized');
  });
});
