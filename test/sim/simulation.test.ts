// Deterministic simulation of whole systems (sim-case.ts): syncstore clients, sometimes a TinyBase
// client, and the server's real room and SQLite storage, on vitest's virtual clock and a seeded
// network. Every case is replayable from its seed:
//   SIM_SEED=<first seed> SIM_RUNS=<cases>   (defaults: seed 1, DEFAULT_RUNS cases)
//   SIM_SEED=<failing seed> SIM_RUNS=1       replays one failure exactly
import {afterAll, beforeAll, expect, test, vi} from 'vitest';
import {createRandom} from '../synchronizers/sim-network.js';
import {type CaseResult, runCase} from './sim-case.js';

const DEFAULT_RUNS = 2000;
const firstSeed = Number(process.env.SIM_SEED ?? 1);
const runs = Number(process.env.SIM_RUNS ?? DEFAULT_RUNS);

beforeAll(() => {
  vi.useFakeTimers({now: Date.UTC(2024, 0, 1)});
});
afterAll(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Random ids (request and transaction ids) drawn from the case's seed, so a replay is exact. */
function seedRandomIds(seed: number): void {
  const random = createRandom(seed ^ 0x5eed);
  vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(
    <T extends ArrayBufferView>(array: T): T => {
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      for (let index = 0; index < bytes.length; index++) {
        bytes[index] = Math.floor(random() * 256);
      }
      return array;
    },
  );
}

test(`${runs} simulated systems from seed ${firstSeed} converge, every status 'synced'`, async () => {
  const failed: CaseResult[] = [];
  const totals = {edits: 0, restarts: 0, disconnects: 0, dropped: 0, duplicated: 0, tinyBase: 0};
  for (let run = 0; run < runs; run++) {
    const seed = (firstSeed + run) >>> 0;
    vi.setSystemTime(Date.UTC(2024, 0, 1));
    seedRandomIds(seed);
    const result = await runCase(seed);
    if (result.failures.length > 0) {
      failed.push(result);
      console.error(
        `simulation failed: SIM_SEED=${seed} SIM_RUNS=1 (${result.clients} clients, ${result.linkKind} links${result.withTinyBase ? ', with TinyBase' : ''})\n  ${result.failures.join('\n  ')}`,
      );
    }
    totals.edits += result.edits;
    totals.restarts += result.restarts;
    totals.disconnects += result.disconnects;
    totals.dropped += result.stats.dropped;
    totals.duplicated += result.stats.duplicated;
    totals.tinyBase += result.withTinyBase ? 1 : 0;
  }
  expect(failed.map(({seed}) => seed)).toEqual([]);
  // The runs really exercised what they claim to (only checked on runs long enough to be sure).
  if (runs >= 200) {
    expect(totals.edits).toBeGreaterThan(runs * 5);
    expect(totals.restarts).toBeGreaterThan(runs / 10);
    expect(totals.disconnects).toBeGreaterThan(runs / 10);
    expect(totals.dropped).toBeGreaterThan(runs);
    expect(totals.duplicated).toBeGreaterThan(runs / 10);
    expect(totals.tinyBase).toBeGreaterThan(runs / 10);
  }
});
