// Choosing the next node (docs/protocol.md §7.4): round robin, a round ends where the last
// connection was, and bad lists are refused with a clear error.
import {describe, expect, test} from 'vitest';
import {UrlRotation} from '../../src/synchronizers/ws/url-rotation.js';

describe('UrlRotation', () => {
  test('moves round robin; only coming back to where the round began completes it', () => {
    const rotation = new UrlRotation(['a', 'b', 'c']);
    expect(rotation.current).toBe('a');
    expect(rotation.advance()).toBe(false);
    expect(rotation.current).toBe('b');
    expect(rotation.advance()).toBe(false);
    expect(rotation.current).toBe('c');
    expect(rotation.advance()).toBe(true);
    expect(rotation.current).toBe('a');
  });

  test('a connection starts the next round on its node', () => {
    const rotation = new UrlRotation(['a', 'b', 'c']);
    rotation.advance();
    rotation.connected(); // on b
    expect([rotation.advance(), rotation.current]).toEqual([false, 'c']);
    expect([rotation.advance(), rotation.current]).toEqual([false, 'a']);
    expect([rotation.advance(), rotation.current]).toEqual([true, 'b']);
  });

  test('one URL: every failure completes a round, as without failover', () => {
    const rotation = new UrlRotation(['a']);
    expect([rotation.advance(), rotation.current]).toEqual([true, 'a']);
    expect([rotation.advance(), rotation.current]).toEqual([true, 'a']);
  });

  test('an empty list or an empty URL is refused', () => {
    expect(() => new UrlRotation([])).toThrow('needs at least one URL');
    expect(() => new UrlRotation(['a', ''])).toThrow('URL 1 of the list is empty');
  });
});
