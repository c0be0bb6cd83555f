// Deterministic simulation of whole systems (sim-case.ts): syncstore clients (with and without
// delta resync, docs/protocol.md §8.8), sometimes a TinyBase
// client, and the server's real room and SQLite storage, on a virtual clock (virtual-clock.ts) and
// a seeded network. Every case is replayable from its seed:
//   SIM_SEED=<first seed> SIM_RUNS=<cases>   (defaults: seed 1, DEFAULT_RUNS cases)
//   SIM_SEED=<failing seed> SIM_RUNS=1       replays one failure exactly
//   SIM_SHAPE=large                          bigger systems and longer schedules (LARGE_CASES)
//   SIM_TRACE=1                              logs every event and delivery (with SIM_RUNS=1)
// The cases are shared out between test files (simulation-*.test.ts) so that vitest runs them in
// parallel workers; the seeds are the same whatever the number of shards.
import {expect, test} from 'vitest';
import {type CaseResult, LARGE_CASES, runCase, SMALL_CASES} from './sim-case.js';

const DEFAULT_RUNS = 2000;
const firstSeed = Number(process.env.SIM_SEED ?? 1);
const runs = Number(process.env.SIM_RUNS ?? DEFAULT_RUNS);
const shape = process.env.SIM_SHAPE === 'large' ? LARGE_CASES : SMALL_CASES;

/** Defines the test of shard `shard` of `shards`: every shards-th seed from firstSeed + shard. */
export function defineSimulation(shard: number, shards: number): void {
  const seeds: number[] = [];
  for (let run = shard; run < runs; run += shards) {
    seeds.push((firstSeed + run) >>> 0);
  }
  test.skipIf(seeds.length === 0)(
    `${seeds.length} simulated systems converge, every status 'synced' (shard ${shard + 1}/${shards} of ${runs} from seed ${firstSeed})`,
    () => simulate(seeds),
  );
}

async function simulate(seeds: number[]): Promise<void> {
  const failed: CaseResult[] = [];
  const totals = {
    edits: 0,
    restarts: 0,
    disconnects: 0,
    dropped: 0,
    duplicated: 0,
    tinyBase: 0,
    deltaChanges: 0,
    deltaFallbacks: 0,
  };
  for (const seed of seeds) {
    const result = await runCase(seed, shape);
    if (result.failures.length > 0) {
      failed.push(result);
      console.error(
        `simulation failed: SIM_SEED=${seed} SIM_RUNS=1${shape === LARGE_CASES ? ' SIM_SHAPE=large' : ''} (${result.clients} clients, ${result.linkKind} links${result.withTinyBase ? ', with TinyBase' : ''})\n  ${result.failures.join('\n  ')}`,
      );
    }
    totals.edits += result.edits;
    totals.restarts += result.restarts;
    totals.disconnects += result.disconnects;
    totals.dropped += result.stats.dropped;
    totals.duplicated += result.stats.duplicated;
    totals.tinyBase += result.withTinyBase ? 1 : 0;
    totals.deltaChanges += result.deltaChanges;
    totals.deltaFallbacks += result.deltaFallbacks;
  }
  expect(failed.map(({seed}) => seed)).toEqual([]);
  // The runs really exercised what they claim to (only checked on runs long enough to be sure).
  const count = seeds.length;
  if (count >= 200) {
    expect(totals.edits).toBeGreaterThan(count * 3);
    expect(totals.restarts).toBeGreaterThan(count / 10);
    expect(totals.disconnects).toBeGreaterThan(count / 10);
    expect(totals.dropped).toBeGreaterThan(count);
    expect(totals.duplicated).toBeGreaterThan(count / 10);
    expect(totals.tinyBase).toBeGreaterThan(count / 10);
    // Delta resync both answered with changes and fell back (compacted or new histories).
    expect(totals.deltaChanges).toBeGreaterThan(count / 10);
    expect(totals.deltaFallbacks).toBeGreaterThan(count / 10);
  }
}
