// `npm run bench:chart`: draws docs/images/bench.svg, the README's benchmark chart, from the
// report `npm run bench` writes (bench/results/results.json). Re-run it after a benchmark run.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';
import type {ResultsFile} from '../bench/report.js';
import {renderSummarySvg, summaryRows} from '../bench/summary-chart.js';
import {PROJECT_ROOT} from './demo-servers.js';

const REPORT = join(PROJECT_ROOT, 'bench', 'results', 'results.json');
const CHART = join(PROJECT_ROOT, 'docs', 'images', 'bench.svg');

const report = JSON.parse(readFileSync(REPORT, 'utf8')) as ResultsFile;
const runs = Object.values(report.runs);
const machines = [
  ...new Set(runs.map((run) => `${run.cpu}, ${run.cores} cores, Node ${run.node}`)),
];
const dates = runs.map((run) => run.date.slice(0, 10)).sort();
const first = dates[0];
const last = dates[dates.length - 1];
const period = first === last ? `run of ${first}` : `runs of ${first} to ${last}`;
const subtitle = `${machines.join('; ')}; ${period}; every case in bench/results/results.md`;
mkdirSync(dirname(CHART), {recursive: true});
writeFileSync(CHART, renderSummarySvg(summaryRows(report.results), subtitle));
process.stdout.write(`Wrote ${relative(PROJECT_ROOT, CHART)}\n`);
