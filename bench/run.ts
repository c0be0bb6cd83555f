// Entry point of `npm run bench`: loads every bench/cases/*.ts, runs the selected cases side by
// side (see harness.ts), prints a table per group and writes the report (see report.ts).
//
//   npm run bench                          every case, report in bench/results/
//   npm run bench -- --filter store        the cases of group "store" (a filter that names a group
//                                          selects that group; any other text selects the cases
//                                          whose "group · name · size" contains it)
//   npm run bench -- --quick               small sizes, 5 samples, report in .tmp/bench-quick/
//   npm run bench -- --samples 9 --warmup 3 --out some/dir

import {readdirSync} from 'node:fs';
import {cpus} from 'node:os';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';
import {
  type BenchCase,
  type CaseOptions,
  type CaseResult,
  caseLabel,
  formatRatio,
  formatValue,
  MIN_SAMPLES,
  type RunOptions,
  runCase,
} from './harness.js';
import {
  buildTable,
  groupResults,
  type RunInfo,
  renderTextTable,
  resultKey,
  writeReport,
} from './report.js';

const USAGE = `usage: npm run bench -- [--filter <text>]... [--quick] [--samples <n>] [--warmup <n>] [--out <dir>]
  --filter   a group name selects that group; other text selects cases whose "group · name · size"
             contains it (case-insensitive; repeatable, a case runs if any filter selects it)
  --quick    small sizes and ${MIN_SAMPLES} samples for a smoke run; writes to .tmp/bench-quick unless --out
  --samples  samples per library for every case (at least ${MIN_SAMPLES})
  --warmup   unmeasured runs per library before sampling, for every case
  --out      directory for results.md, results.json and <group>.svg (default bench/results)`;

type CliOptions = {
  filters: string[];
  quick: boolean;
  runOptions: RunOptions;
  outDirectory: string;
};

function parseCount(text: string | undefined, name: string, minimum: number): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const count = Number(text);
  if (!Number.isInteger(count) || count < minimum) {
    throw new Error(`--${name} needs an integer >= ${minimum}, got "${text}"`);
  }
  return count;
}

function parseCli(args: string[]): CliOptions {
  const {values} = parseArgs({
    args,
    options: {
      filter: {type: 'string', multiple: true, default: []},
      quick: {type: 'boolean', default: false},
      samples: {type: 'string'},
      warmup: {type: 'string'},
      out: {type: 'string'},
      help: {type: 'boolean', short: 'h', default: false},
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick;
  const samples =
    parseCount(values.samples, 'samples', MIN_SAMPLES) ?? (quick ? MIN_SAMPLES : undefined);
  const warmup = parseCount(values.warmup, 'warmup', 0) ?? (quick ? 1 : undefined);
  const defaultOut = quick ? '.tmp/bench-quick' : 'bench/results';
  return {
    filters: values.filter.map((filter) => filter.toLowerCase()),
    quick,
    runOptions: {
      ...(samples === undefined ? {} : {samples}),
      ...(warmup === undefined ? {} : {warmup}),
    },
    outDirectory: values.out ?? defaultOut,
  };
}

type CaseModule = {
  cases?: BenchCase[] | ((options: CaseOptions) => BenchCase[] | Promise<BenchCase[]>);
};

/** Every case of every module in bench/cases/, in file name order then declaration order. */
async function loadCases(options: CaseOptions): Promise<{cases: BenchCase[]; failures: string[]}> {
  const directory = new URL('./cases/', import.meta.url);
  const files = readdirSync(fileURLToPath(directory))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .sort();
  const cases: BenchCase[] = [];
  const failures: string[] = [];
  for (const file of files) {
    try {
      const module = (await import(
        pathToFileURL(fileURLToPath(new URL(file, directory))).href
      )) as CaseModule;
      const exported = module.cases;
      if (exported === undefined) {
        throw new Error('exports no `cases`');
      }
      cases.push(...(typeof exported === 'function' ? await exported(options) : exported));
    } catch (error) {
      console.error(`bench/cases/${file} failed to load:`, error);
      failures.push(`bench/cases/${file}`);
    }
  }
  return {cases, failures};
}

/**
 * Whether a (lower-cased) filter selects a case. A filter that is a group's name means exactly
 * that group, so `--filter store` does not also pick the sync cases whose names mention "store".
 */
function selects(filter: string, benchCase: BenchCase, allCases: readonly BenchCase[]): boolean {
  const isGroupName = allCases.some((other) => other.group.toLowerCase() === filter);
  return isGroupName
    ? benchCase.group.toLowerCase() === filter
    : caseLabel(benchCase).toLowerCase().includes(filter);
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

function describeRun(args: string[]): RunInfo {
  const cpuList = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpuList[0]?.model.trim() ?? 'unknown cpu',
    cores: cpuList.length,
    platform: `${process.platform} ${process.arch}`,
    command: `npm run bench${args.length ? ` -- ${args.map(shellQuote).join(' ')}` : ''}`,
  };
}

function progressLine(result: CaseResult, seconds: number): string {
  return (
    `${caseLabel(result)}: syncstore ${formatValue(result.syncstore.median, result.unit)}, ` +
    `tinybase ${formatValue(result.tinybase.median, result.unit)}, ratio ${formatRatio(result.ratio)} ` +
    `(${seconds.toFixed(1)} s)`
  );
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let cli: CliOptions;
  try {
    cli = parseCli(args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    console.error(USAGE);
    return 2;
  }

  const {cases, failures} = await loadCases({quick: cli.quick});
  const selected = cases.filter(
    (benchCase) =>
      cli.filters.length === 0 || cli.filters.some((filter) => selects(filter, benchCase, cases)),
  );
  if (selected.length === 0) {
    console.error(`no case matches ${cli.filters.map((filter) => `"${filter}"`).join(' or ')}`);
    return 1;
  }
  console.error(
    `running ${selected.length} of ${cases.length} cases${cli.quick ? ' (quick)' : ''}`,
  );

  const run = describeRun(args);
  const results: CaseResult[] = [];
  for (const benchCase of selected) {
    const started = performance.now();
    try {
      const result = await runCase(benchCase, cli.runOptions);
      results.push(result);
      console.error(progressLine(result, (performance.now() - started) / 1000));
    } catch (error) {
      console.error(`${caseLabel(benchCase)} FAILED:`, error);
      failures.push(caseLabel(benchCase));
    }
  }

  for (const [group, groupResultList] of groupResults(results)) {
    console.log(`\n${group}\n${renderTextTable(buildTable(groupResultList))}`);
  }
  console.log(`\nratio = syncstore / tinybase median; below 1 means syncstore costs less.`);
  console.log(`${run.date}, Node ${run.node}, ${run.cpu} (${run.cores} cores)`);

  if (results.length > 0) {
    const written = writeReport(
      cli.outDirectory,
      run,
      results,
      new Set(cases.map(resultKey)),
      new Set(cases.map((benchCase) => benchCase.group)),
    );
    console.log(`wrote ${written.join(', ')}`);
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} failed: ${failures.join('; ')}`);
    return 1;
  }
  return 0;
}

// Exit explicitly: a case that leaves a socket or timer behind must not keep the run alive.
process.exit(await main());
