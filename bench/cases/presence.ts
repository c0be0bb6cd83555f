// Presence cases (issue 13), measured by bench/presence.ts: 20 clients in one room through one
// server, each cursor moving at 60 Hz for 10 s (2 s in quick runs). The case's value is the p99
// delay until the others see a move; the extras are per client, during the moves. TinyBase has
// no presence: its side writes each cursor into a store row, as a TinyBase app would.
import {
  type CaseOptions,
  defineCase,
  type LibraryName,
  MIN_SAMPLES,
  type Sample,
} from '../harness.js';
import {CLIENTS, MOVES_PER_SECOND, runPresenceLoad} from '../presence.js';

const side = (library: LibraryName, durationMs: number) => ({
  measure: async (): Promise<Sample> => {
    const result = await runPresenceLoad(library, durationMs);
    return {
      value: result.p99DelayMs,
      extras: {
        'p50 ms': result.p50DelayMs,
        'sent msg/s': result.sentPerSecond,
        'recv msg/s': result.receivedPerSecond,
        'sent KiB/s': result.sentBytesPerSecond / 1024,
        'recv KiB/s': result.receivedBytesPerSecond / 1024,
        'max sent /50ms': result.maxSentPer50Ms,
        'unseen moves': result.unseenMoves,
      },
    };
  },
});

export const cases = (options: CaseOptions) => {
  const durationMs = options.quick ? 2_000 : 10_000;
  return [
    defineCase({
      group: 'presence',
      name: `${CLIENTS} cursors at ${MOVES_PER_SECOND} Hz for ${durationMs / 1000} s, p99 delay`,
      size: CLIENTS,
      samples: MIN_SAMPLES,
      warmup: 0,
      syncstore: side('syncstore', durationMs),
      tinybase: side('tinybase', durationMs),
    }),
  ];
};
