/*
 * Side-by-side benchmark harness: syncstore against TinyBase, in one Node process.
 *
 * HOW TO WRITE A CASE FILE
 * ------------------------
 * Put a module in bench/cases/<anything>.ts that exports `cases`: either an array of cases, or a
 * function `(options: CaseOptions) => BenchCase[] | Promise<BenchCase[]>` (use `options.quick`
 * to pick smaller sizes for a smoke run; `sizesFor(options)` gives 1k/10k/100k or 100/1k).
 * `npm run bench` loads every file in bench/cases/ and runs every case it finds.
 *
 * A case measures one piece of work for both libraries:
 *
 *   defineCase({
 *     group: 'store',                        // chart file bench/results/<group>.svg, table heading
 *     name: 'write cells, one transaction',  // the "family": same name + other sizes = one line
 *     size: 10_000,                          // optional x value (cells, rows, readers...)
 *     unit: 'ms',                            // optional, default 'ms'; always a cost: lower is better
 *     samples: 7,                            // optional, default 7, never below 5
 *     warmup: 2,                             // optional, default 2 unmeasured runs per library
 *     setup: () => makeInput(10_000),        // optional, once, untimed; result = `input` below
 *     teardown: (input) => {},               // optional, once after the last sample
 *     syncstore: {
 *       prepare: (input) => freshStore(),    // optional, before EVERY sample, untimed
 *       run: (store, input) => write(store), // timed by the harness (wall ms, awaited if async)
 *       cleanup: (store, input) => check(),  // optional, after every sample, untimed; throw = fail
 *     },
 *     tinybase: {...the same shape...},
 *   })
 *
 * Instead of `run`, a side may have `measure: (prepared, input) => Sample`, which reports its own
 * number in the case's unit (retained MiB, messages, a latency it timed itself...). A Sample is a
 * number or `{value, extras: {'messages': 12, 'get ms': 3.1}}`; each extra becomes a column of the
 * table showing the median of both libraries (`syncstore / tinybase`).
 *
 * `prepare` returns the per-sample state handed to `run`/`measure`/`cleanup`; `setup` returns
 * shared input for the whole case. State that differs per library (for example a prebuilt store
 * of each library) goes into `setup`'s result keyed by library name. `defineCase` only exists so
 * TypeScript infers the input and prepared types for the hooks.
 *
 * HOW A CASE RUNS
 * ---------------
 * setup, then `warmup` rounds and `samples` rounds. A round runs syncstore then tinybase, so both
 * see the same machine state (JIT, heap, other processes) as closely as one process allows. Each
 * sample: prepare, full garbage collection, then the timed run (or measure), then cleanup. The
 * reported number is the median of the samples. Micro-work that takes well under a millisecond
 * should loop inside `run` (or time itself in `measure` and report the per-operation cost).
 *
 * Helpers for case files: `sizesFor`, `formatSize`, `collectGarbage`, `retainedHeapBytes`.
 */

import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

export const LIBRARIES = ['syncstore', 'tinybase'] as const;
export type LibraryName = (typeof LIBRARIES)[number];

/** What a `measure` side reports: the value, and optionally extra named numbers. */
export type Sample = number | {value: number; extras?: Record<string, number>};

type MaybePromise<T> = T | Promise<T>;

// Hooks use method syntax on purpose: it lets a case with concrete Input/Prepared types be stored
// in a plain `BenchCase[]` (method parameters are compared bivariantly).
interface SideHooks<Input, Prepared> {
  /** Builds the per-sample state; untimed, called before every sample including warm-ups. */
  prepare?(input: Input): MaybePromise<Prepared>;
  /** Runs after every sample, untimed. Throw here to fail the case on a wrong result. */
  cleanup?(prepared: Prepared, input: Input): MaybePromise<void>;
}

export interface TimedSide<Input = unknown, Prepared = unknown> extends SideHooks<Input, Prepared> {
  /** The work; the harness measures its wall time in milliseconds. */
  run(prepared: Prepared, input: Input): unknown;
}

export interface MeasuredSide<Input = unknown, Prepared = unknown>
  extends SideHooks<Input, Prepared> {
  /** The work, reporting its own value in the case's unit. */
  measure(prepared: Prepared, input: Input): MaybePromise<Sample>;
}

export type Side<Input = unknown, Prepared = unknown> =
  | TimedSide<Input, Prepared>
  | MeasuredSide<Input, Prepared>;

export interface BenchCase<Input = unknown, Prepared = unknown> {
  group: string;
  name: string;
  size?: number;
  unit?: string;
  samples?: number;
  warmup?: number;
  /**
   * The full GC before each sample also sweeps, instead of leaving the sweep to background
   * threads (V8's concurrent sweeping is off while the case runs). For cases that time a few
   * milliseconds of work beside a heap of gigabytes: sweeping such a heap keeps a core busy for
   * hundreds of ms after the GC, and on a 2-core machine that lands inside the timed part.
   */
  sweepBeforeSample?: boolean;
  setup?(): MaybePromise<Input>;
  teardown?(input: Input): MaybePromise<void>;
  syncstore: Side<Input, Prepared>;
  tinybase: Side<Input, Prepared>;
}

/** Identity function that lets TypeScript infer `Input` and `Prepared` for the hooks. */
export function defineCase<Input = undefined, Prepared = undefined>(
  benchCase: BenchCase<Input, Prepared>,
): BenchCase<Input, Prepared> {
  return benchCase;
}

/** What case modules receive when they export `cases` as a function. */
export interface CaseOptions {
  /** Smoke run: use small sizes so every case finishes in moments. */
  quick: boolean;
}

/** The usual x values: 1k, 10k and 100k, or 100 and 1k for a quick smoke run. */
export function sizesFor(options: CaseOptions): number[] {
  return options.quick ? [100, 1_000] : [1_000, 10_000, 100_000];
}

export const MIN_SAMPLES = 5;
export const DEFAULT_SAMPLES = 7;
export const DEFAULT_WARMUP = 2;

export interface RunOptions {
  /** Overrides every case's sample count (still at least MIN_SAMPLES). */
  samples?: number;
  /** Overrides every case's warm-up count. */
  warmup?: number;
}

export interface SideResult {
  /** Measured values in sample order (warm-ups excluded). */
  samples: number[];
  median: number;
  /** Each extra's samples in sample order. */
  extras: Record<string, number[]>;
}

export interface CaseResult {
  group: string;
  name: string;
  size?: number;
  unit: string;
  syncstore: SideResult;
  tinybase: SideResult;
  /** syncstore median / tinybase median; below 1 means syncstore costs less. */
  ratio: number;
}

// --- statistics and formatting -------------------------------------------------------------

export function median(values: readonly number[]): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function ratioOf(syncstoreValue: number, tinybaseValue: number): number {
  return tinybaseValue === 0 ? Number.NaN : syncstoreValue / tinybaseValue;
}

/** `0.52x`; a dash when there is no meaningful ratio (for example TinyBase measured 0). */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) {
    return '–';
  }
  return `${ratio < 0.1 ? ratio.toFixed(3) : ratio.toFixed(2)}x`;
}

/** 100, 1k, 10k, 100k, 1M: the labels used in tables and chart axes. */
export function formatSize(size: number | undefined): string {
  if (size === undefined) {
    return '';
  }
  if (size >= 1_000_000 && size % 1_000_000 === 0) {
    return `${size / 1_000_000}M`;
  }
  if (size >= 1_000 && size % 1_000 === 0) {
    return `${size / 1_000}k`;
  }
  return String(size);
}

/** About three significant digits without exponent notation; integers stay whole. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) {
    return '–';
  }
  if (Number.isInteger(value)) {
    return String(value);
  }
  const magnitude = Math.abs(value);
  if (magnitude >= 100) {
    return value.toFixed(0);
  }
  if (magnitude >= 10) {
    return value.toFixed(1);
  }
  if (magnitude >= 1) {
    return value.toFixed(2);
  }
  return value.toPrecision(2);
}

export function formatValue(value: number, unit: string): string {
  return `${formatNumber(value)} ${unit}`;
}

/** `group · name · size`, the label filters match against and progress lines show. */
export function caseLabel(benchCase: {group: string; name: string; size?: number}): string {
  const size = formatSize(benchCase.size);
  return `${benchCase.group} · ${benchCase.name}${size ? ` · ${size}` : ''}`;
}

// --- garbage collection and memory ---------------------------------------------------------

function findGarbageCollector(): () => void {
  if (typeof globalThis.gc === 'function') {
    return globalThis.gc;
  }
  // Started without --expose-gc (e.g. plain `npx tsx`): turn the flag on at run time and fetch
  // `gc` from a fresh context, where V8 installs it.
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

// Looked up on first use, so merely importing the harness (e.g. in a unit test) changes no flags.
let garbageCollector: (() => void) | undefined;

/** A full, synchronous garbage collection, so one sample's garbage is not billed to the next. */
export function collectGarbage(): void {
  garbageCollector ??= findGarbageCollector();
  garbageCollector();
}

// Holds what a retained-heap measurement builds, so the optimizer cannot treat it as dead before
// the second heap reading.
const heldDuringMeasurement: unknown[] = [];

/**
 * Heap bytes still in use after `build()` returns and garbage is collected: what the built
 * structure keeps alive. Input allocated before the call (ids, values) is not counted.
 */
export function retainedHeapBytes(build: () => unknown): number {
  collectGarbage();
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  heldDuringMeasurement.push(build());
  collectGarbage();
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  heldDuringMeasurement.length = 0;
  return after - before;
}

// --- the runner ------------------------------------------------------------------------------

function isMeasuredSide(side: Side): side is MeasuredSide {
  return typeof (side as Partial<MeasuredSide>).measure === 'function';
}

function checkCase(benchCase: BenchCase, samples: number, warmup: number): void {
  const label = caseLabel(benchCase);
  if (!Number.isInteger(samples) || samples < MIN_SAMPLES) {
    throw new Error(`${label}: samples must be an integer >= ${MIN_SAMPLES}, got ${samples}`);
  }
  if (!Number.isInteger(warmup) || warmup < 0) {
    throw new Error(`${label}: warmup must be an integer >= 0, got ${warmup}`);
  }
  for (const library of LIBRARIES) {
    const side = benchCase[library] as Partial<TimedSide & MeasuredSide> | undefined;
    const hasRun = typeof side?.run === 'function';
    const hasMeasure = typeof side?.measure === 'function';
    if (hasRun === hasMeasure) {
      throw new Error(`${label}: the ${library} side needs exactly one of run() or measure()`);
    }
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as {then?: unknown}).then === 'function'
  );
}

async function takeSample(side: Side, input: unknown): Promise<Sample> {
  const prepared = side.prepare ? await side.prepare(input) : undefined;
  collectGarbage();
  let sample: Sample;
  if (isMeasuredSide(side)) {
    sample = await side.measure(prepared, input);
  } else {
    const start = performance.now();
    const returned = side.run(prepared, input);
    // Only await real promises: awaiting a plain value would add a microtask hop to the timing.
    if (isPromiseLike(returned)) {
      await returned;
    }
    sample = performance.now() - start;
  }
  await side.cleanup?.(prepared, input);
  return sample;
}

function emptySideResult(): SideResult {
  return {samples: [], median: Number.NaN, extras: {}};
}

function record(result: SideResult, sample: Sample): void {
  const {value, extras} = typeof sample === 'number' ? {value: sample, extras: undefined} : sample;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new Error(`a sample must be a number, got ${String(value)}`);
  }
  result.samples.push(value);
  for (const [name, extraValue] of Object.entries(extras ?? {})) {
    result.extras[name] ??= [];
    result.extras[name].push(extraValue);
  }
}

/** Runs one case: warm-ups, then alternating samples, and returns the medians. */
export async function runCase(benchCase: BenchCase, options: RunOptions = {}): Promise<CaseResult> {
  const samples = options.samples ?? benchCase.samples ?? DEFAULT_SAMPLES;
  const warmup = options.warmup ?? benchCase.warmup ?? DEFAULT_WARMUP;
  checkCase(benchCase, samples, warmup);

  const input = benchCase.setup ? await benchCase.setup() : undefined;
  const results = {syncstore: emptySideResult(), tinybase: emptySideResult()};
  if (benchCase.sweepBeforeSample) {
    setFlagsFromString('--no-concurrent-sweeping');
  }
  try {
    for (let round = 0; round < warmup + samples; round++) {
      for (const library of LIBRARIES) {
        const sample = await takeSample(benchCase[library], input);
        if (round >= warmup) {
          record(results[library], sample);
        }
      }
    }
  } finally {
    if (benchCase.sweepBeforeSample) {
      setFlagsFromString('--concurrent-sweeping');
    }
    await benchCase.teardown?.(input);
  }

  for (const library of LIBRARIES) {
    results[library].median = median(results[library].samples);
  }
  return {
    group: benchCase.group,
    name: benchCase.name,
    ...(benchCase.size === undefined ? {} : {size: benchCase.size}),
    unit: benchCase.unit ?? 'ms',
    syncstore: results.syncstore,
    tinybase: results.tinybase,
    ratio: ratioOf(results.syncstore.median, results.tinybase.median),
  };
}
