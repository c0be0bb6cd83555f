// The one backoff of every retry (docs/protocol.md §7.3): jittered exponential, seeded by the
// random function it is given.
import {expect, test} from 'vitest';
import {Backoff} from '../../src/synchronizers/backoff.js';
import {createRandom} from './sim-network.js';

test('each failure doubles the ceiling up to the maximum; the delay lies in [ceiling / 2, ceiling]', () => {
  const draws = [0, 0.999_999, 0.5, 0, 0.999_999, 0.5, 0];
  const backoff = new Backoff({minMs: 250, maxMs: 10_000, random: () => draws.shift()!});
  const delays = Array.from({length: 7}, () => backoff.nextDelay());
  // Ceilings 250, 500, 1000, 2000, 4000, 8000, then 10000 (capped).
  expect(delays.map((delay) => Math.round(delay))).toEqual([125, 500, 750, 1000, 4000, 6000, 5000]);
  expect(backoff.failures).toBe(7);
});

test('reset starts again from the shortest delay', () => {
  const backoff = new Backoff({minMs: 100, maxMs: 30_000, random: () => 0.999_999});
  backoff.nextDelay();
  backoff.nextDelay();
  expect(Math.round(backoff.nextDelay())).toBe(400);
  backoff.reset();
  expect(backoff.failures).toBe(0);
  expect(Math.round(backoff.nextDelay())).toBe(100);
});

test('delayFor gives retry n its delay without counting a failure', () => {
  const backoff = new Backoff({minMs: 100, maxMs: 1000, random: () => 0});
  expect([1, 2, 3, 4, 5, 40].map((retry) => backoff.delayFor(retry))).toEqual([
    50, 100, 200, 400, 500, 500,
  ]);
  expect(backoff.failures).toBe(0);
});

test('the same seed gives the same delays, another seed others', () => {
  const delays = (seed: number) => {
    const backoff = new Backoff({minMs: 250, maxMs: 10_000, random: createRandom(seed)});
    return Array.from({length: 6}, () => backoff.nextDelay());
  };
  expect(delays(7)).toEqual(delays(7));
  expect(delays(7)).not.toEqual(delays(8));
  // Jittered: not just the ceilings.
  expect(delays(7).some((delay, index) => delay !== 250 * 2 ** index)).toBe(true);
});

test('the default jitter draws from the ids source: seeding Web Crypto replays it', () => {
  const original = Object.getOwnPropertyDescriptor(globalThis.crypto, 'getRandomValues');
  const seeded = () => {
    const random = createRandom(42);
    Object.defineProperty(globalThis.crypto, 'getRandomValues', {
      configurable: true,
      value: (array: Uint8Array) => array.map(() => Math.floor(random() * 256)),
    });
    const backoff = new Backoff({minMs: 250, maxMs: 10_000});
    return Array.from({length: 4}, () => backoff.nextDelay());
  };
  try {
    expect(seeded()).toEqual(seeded());
  } finally {
    if (original === undefined) {
      // It was the prototype's: removing the own property brings it back.
      delete (globalThis.crypto as {getRandomValues?: unknown}).getRandomValues;
    } else {
      Object.defineProperty(globalThis.crypto, 'getRandomValues', original);
    }
  }
});

test('refuses bounds that make no backoff', () => {
  expect(() => new Backoff({minMs: -1, maxMs: 10})).toThrow(/0 <= minMs <= maxMs/);
  expect(() => new Backoff({minMs: 10, maxMs: 5})).toThrow(/0 <= minMs <= maxMs/);
  expect(() => new Backoff({minMs: Number.NaN, maxMs: 5})).toThrow(RangeError);
});
