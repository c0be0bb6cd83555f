// The presence throttle (docs/protocol.md §8.2): at most one send per interval, the first at
// once, the last always; its timer is cleared on destroy.
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {Throttle} from '../../../src/synchronizers/presence/throttle.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const recordSends = () => {
  const sends: {at: number; value: number}[] = [];
  const throttle = new Throttle<number>(
    50,
    (value) => sends.push({at: Date.now(), value}),
    () => Date.now(),
  );
  return {sends, throttle};
};

describe('Throttle', () => {
  test('a cursor at 60 Hz for 1 s goes out at most 21 times, the last position included', () => {
    const {sends, throttle} = recordSends();
    const start = Date.now();
    for (let frame = 0; frame < 60; frame++) {
      throttle.push(frame);
      vi.advanceTimersByTime(1000 / 60);
    }
    vi.runAllTimers();
    expect(sends.length).toBeLessThanOrEqual(21);
    expect(sends.length).toBeGreaterThanOrEqual(20);
    expect(sends.at(-1)?.value).toBe(59);
    expect(sends[0]).toEqual({at: start, value: 0});
    for (let index = 1; index < sends.length; index++) {
      expect(sends[index]!.at - sends[index - 1]!.at).toBeGreaterThanOrEqual(50);
    }
    expect(vi.getTimerCount()).toBe(0);
  });

  test('values pushed within one interval are coalesced into the last one', () => {
    const {sends, throttle} = recordSends();
    throttle.push(1);
    throttle.push(2);
    throttle.push(3);
    expect(sends.map(({value}) => value)).toEqual([1]);
    vi.advanceTimersByTime(50);
    expect(sends.map(({value}) => value)).toEqual([1, 3]);
  });

  test('after a quiet interval the next value goes out at once', () => {
    const {sends, throttle} = recordSends();
    throttle.push(1);
    vi.advanceTimersByTime(120);
    throttle.push(2);
    expect(sends.map(({value}) => value)).toEqual([1, 2]);
  });

  test('a timer that fires early waits for the rest of the interval', () => {
    let clock = 0;
    const sent: number[] = [];
    const throttle = new Throttle<number>(
      50,
      (value) => sent.push(value),
      () => clock,
    );
    throttle.push(1);
    throttle.push(2);
    clock = 45; // the timer fires, but only 45 ms have passed since the send on this clock
    vi.advanceTimersByTime(50);
    expect(sent).toEqual([1]);
    clock = 50;
    vi.advanceTimersByTime(5);
    expect(sent).toEqual([1, 2]);
  });

  test('destroy drops what is pending and leaves no timer', () => {
    const {sends, throttle} = recordSends();
    throttle.push(1);
    throttle.push(2);
    throttle.destroy();
    expect(vi.getTimerCount()).toBe(0);
    vi.runAllTimers();
    expect(sends.map(({value}) => value)).toEqual([1]);
  });
});
