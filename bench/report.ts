// Turns case results into the console table, results.md, results.json and one SVG chart per
// group. Everything here is pure (strings in, strings out) except writeReport, which merges with
// the previous results.json and writes the files.

import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {
  type CaseResult,
  formatNumber,
  formatRatio,
  formatSize,
  formatValue,
  LIBRARIES,
  type LibraryName,
  median,
} from './harness.js';

/** Where and how a set of results was measured. */
export interface RunInfo {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  platform: string;
  command: string;
}

/** A result as stored in results.json: the case result plus the id of the run that made it. */
export interface StoredResult extends CaseResult {
  run: string;
}

export interface ResultsFile {
  schema: 1;
  runs: Record<string, RunInfo>;
  results: StoredResult[];
}

// --- tables --------------------------------------------------------------------------------

type Table = {header: string[]; rows: string[][]; rightAligned: boolean[]};

function extraNames(results: readonly CaseResult[]): string[] {
  const names = new Set<string>();
  for (const result of results) {
    for (const library of LIBRARIES) {
      for (const name of Object.keys(result[library].extras)) {
        names.add(name);
      }
    }
  }
  return [...names];
}

function extraCell(result: CaseResult, name: string): string {
  const values = LIBRARIES.map((library: LibraryName) => result[library].extras[name]);
  if (values.every((samples) => samples === undefined)) {
    return '';
  }
  return values.map((samples) => (samples ? formatNumber(median(samples)) : '–')).join(' / ');
}

/** One group's results as rows: case, size, both medians, ratio, then each reported extra. */
export function buildTable(results: readonly CaseResult[]): Table {
  const extras = extraNames(results);
  const header = ['case', 'size', 'syncstore', 'tinybase', 'ratio', ...extras];
  const rows = results.map((result) => [
    result.name,
    formatSize(result.size),
    formatValue(result.syncstore.median, result.unit),
    formatValue(result.tinybase.median, result.unit),
    formatRatio(result.ratio),
    ...extras.map((name) => extraCell(result, name)),
  ]);
  const rightAligned = header.map((_, column) => column > 0);
  return {header, rows, rightAligned};
}

/** Plain text with aligned columns, for the terminal. */
export function renderTextTable(table: Table): string {
  const widths = table.header.map((title, column) =>
    Math.max(title.length, ...table.rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        table.rightAligned[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(table.header), rule, ...table.rows.map(line)].join('\n');
}

function escapeMarkdownCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

export function renderMarkdownTable(table: Table): string {
  const line = (cells: string[]) => `| ${cells.map(escapeMarkdownCell).join(' | ')} |`;
  const alignment = table.rightAligned.map((right) => (right ? '---:' : '---'));
  return [line(table.header), line(alignment), ...table.rows.map(line)].join('\n');
}

/** Results grouped by group name, groups in first-appearance order. */
export function groupResults<Result extends CaseResult>(
  results: readonly Result[],
): Map<string, Result[]> {
  const groups = new Map<string, Result[]>();
  for (const result of results) {
    const group = groups.get(result.group) ?? [];
    group.push(result);
    groups.set(result.group, group);
  }
  return groups;
}

// --- results.md ----------------------------------------------------------------------------

/** File-name-safe version of a group name. */
export function fileNameFor(group: string): string {
  return group.replace(/[^a-zA-Z0-9_-]+/g, '-');
}

function describeRun(run: RunInfo): string {
  return (
    `${run.date}, Node ${run.node}, ${run.cpu} (${run.cores} cores), ${run.platform}; ` +
    `reproduce with \`${run.command}\``
  );
}

export function renderMarkdown(file: ResultsFile): string {
  const lines = [
    '# syncstore vs TinyBase benchmarks',
    '',
    'Both libraries run the same work in one Node process, alternating sample by sample ' +
      '(syncstore, tinybase, syncstore, ...) after warm-up runs, with a full garbage collection ' +
      'before each sample. Each number is the median of the samples (see results.json for all ' +
      'of them). Every number is a cost, so lower is better; ratio = syncstore / tinybase, ' +
      'below 1 means syncstore wins. Extra columns show `syncstore / tinybase`.',
    '',
    'Reproduce everything with `npm run bench` (see bench/harness.ts for the case format).',
  ];
  for (const [group, results] of groupResults(file.results)) {
    lines.push('', `## ${group}`, '');
    const runIds = [...new Set(results.map((result) => result.run))];
    for (const runId of runIds) {
      const run = file.runs[runId];
      if (run) {
        lines.push(`Measured ${describeRun(run)}.`, '');
      }
    }
    lines.push(
      renderMarkdownTable(buildTable(results)),
      '',
      `![${group} chart](${fileNameFor(group)}.svg)`,
    );
  }
  return `${lines.join('\n')}\n`;
}

// --- results.json --------------------------------------------------------------------------

export function resultKey(result: {group: string; name: string; size?: number}): string {
  return `${result.group}\u0000${result.name}\u0000${result.size ?? ''}`;
}

/**
 * The previous file with this run's results merged in: a result of this run replaces the stored
 * one with the same group, name and size (in place, so the order stays stable); results whose
 * group was loaded in this run but which no longer exist in it (`definedKeys`) are dropped; other
 * groups' results are kept, each still pointing at the run that measured it.
 */
export function mergeResults(
  previous: ResultsFile | undefined,
  runId: string,
  run: RunInfo,
  results: readonly CaseResult[],
  definedKeys: ReadonlySet<string>,
  loadedGroups: ReadonlySet<string>,
): ResultsFile {
  const fresh = new Map(results.map((result) => [resultKey(result), {...result, run: runId}]));
  const merged: StoredResult[] = [];
  for (const old of previous?.results ?? []) {
    const key = resultKey(old);
    const replacement = fresh.get(key);
    if (replacement) {
      merged.push(replacement);
      fresh.delete(key);
    } else if (!loadedGroups.has(old.group) || definedKeys.has(key)) {
      merged.push(old);
    }
  }
  merged.push(...fresh.values());

  // Keep each group together and each family's sizes ascending, otherwise first-seen order.
  const groupOrder = [...new Set(merged.map((result) => result.group))];
  const familyOrder = [...new Set(merged.map((result) => `${result.group}\u0000${result.name}`))];
  merged.sort(
    (a, b) =>
      groupOrder.indexOf(a.group) - groupOrder.indexOf(b.group) ||
      familyOrder.indexOf(`${a.group}\u0000${a.name}`) -
        familyOrder.indexOf(`${b.group}\u0000${b.name}`) ||
      (a.size ?? 0) - (b.size ?? 0),
  );

  const runs: Record<string, RunInfo> = {};
  for (const result of merged) {
    const info = result.run === runId ? run : previous?.runs[result.run];
    if (info) {
      runs[result.run] = info;
    }
  }
  return {schema: 1, runs, results: merged};
}

function readResultsFile(path: string): ResultsFile | undefined {
  if (!existsSync(path)) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ResultsFile>;
    return parsed.schema === 1 && Array.isArray(parsed.results) && parsed.runs
      ? (parsed as ResultsFile)
      : undefined;
  } catch {
    // A broken or foreign file: start over rather than refuse to write.
    return undefined;
  }
}

// --- SVG charts ----------------------------------------------------------------------------

export const COLORS: Record<LibraryName, string> = {syncstore: '#2563eb', tinybase: '#ea580c'};
const PANEL_WIDTH = 440;
const PANEL_HEIGHT = 270;
const PANEL_COLUMNS = 2;
const PLOT = {left: 62, right: 20, top: 34, bottom: 44};

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;
}

function line(x1: number, y1: number, x2: number, y2: number, attributes: string): string {
  return `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" ${attributes}/>`;
}

/** Maps a value in [min, max] to [from, to] on a log10 scale. */
function logScale(min: number, max: number, from: number, to: number): (value: number) => number {
  const low = Math.log10(min);
  const span = Math.log10(max) - low || 1;
  return (value) => from + ((Math.log10(value) - low) / span) * (to - from);
}

/** Powers of ten spanning the values, so both axes of a log chart get round gridlines. */
function decadesAround(values: readonly number[]): number[] {
  const low = Math.floor(Math.log10(Math.min(...values)));
  let high = Math.ceil(Math.log10(Math.max(...values)));
  if (high === low) {
    high = low + 1;
  }
  const decades: number[] = [];
  for (let exponent = low; exponent <= high; exponent++) {
    decades.push(10 ** exponent);
  }
  return decades;
}

/** Cost against size for one family, log scale on both axes, one line per library. */
function lineChart(family: readonly CaseResult[], width: number, height: number): string[] {
  const sizes = family.map((result) => result.size as number);
  const positive = family
    .flatMap((result) => LIBRARIES.map((library) => result[library].median))
    .filter((value) => value > 0 && Number.isFinite(value));
  if (positive.length === 0) {
    return [text(width / 2, height / 2, 'no positive values', 'text-anchor="middle"')];
  }
  const decades = decadesAround(positive);
  const plotRight = width - PLOT.right;
  const plotBottom = height - PLOT.bottom;
  // Half a decade of padding on each side keeps the end points off the frame.
  const x = logScale(
    Math.min(...sizes) / Math.SQRT2,
    Math.max(...sizes) * Math.SQRT2,
    PLOT.left,
    plotRight,
  );
  const y = logScale(decades[0], decades[decades.length - 1], plotBottom, PLOT.top);

  const parts: string[] = [];
  for (const decade of decades) {
    parts.push(line(PLOT.left, y(decade), plotRight, y(decade), 'class="grid"'));
    parts.push(
      text(PLOT.left - 6, y(decade) + 4, formatNumber(decade), 'class="tick" text-anchor="end"'),
    );
  }
  for (const size of new Set(sizes)) {
    parts.push(line(x(size), PLOT.top, x(size), plotBottom, 'class="grid"'));
    parts.push(
      text(x(size), plotBottom + 16, formatSize(size), 'class="tick" text-anchor="middle"'),
    );
  }
  for (const library of LIBRARIES) {
    const points = family
      .filter((result) => result[library].median > 0 && Number.isFinite(result[library].median))
      .map((result) => ({
        x: x(result.size as number),
        y: y(result[library].median),
        label: `${library} ${formatSize(result.size)}: ${formatValue(result[library].median, result.unit)}`,
      }));
    const path = points.map((point) => `${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(' ');
    parts.push(
      `<polyline points="${path}" fill="none" stroke="${COLORS[library]}" stroke-width="2"/>`,
    );
    for (const point of points) {
      parts.push(
        `<circle cx="${point.x.toFixed(1)}" cy="${point.y.toFixed(1)}" r="3.5" fill="${COLORS[library]}"><title>${escapeXml(point.label)}</title></circle>`,
      );
    }
  }
  parts.push(text((PLOT.left + plotRight) / 2, height - 8, 'size (log scale)', 'class="axis"'));
  return parts;
}

/** Two bars (one per library) for a family measured at a single size. */
function barChart(result: CaseResult, width: number, height: number): string[] {
  const values = LIBRARIES.map((library) => Math.max(0, result[library].median || 0));
  const top = Math.max(...values) * 1.15 || 1;
  const plotBottom = height - PLOT.bottom;
  const plotHeight = plotBottom - PLOT.top;
  const slot = (width - PLOT.left - PLOT.right) / LIBRARIES.length;
  const parts = [line(PLOT.left, plotBottom, width - PLOT.right, plotBottom, 'class="frame"')];
  LIBRARIES.forEach((library, index) => {
    const barHeight = (values[index] / top) * plotHeight;
    const barX = PLOT.left + slot * index + slot * 0.25;
    const label = formatValue(result[library].median, result.unit);
    parts.push(
      `<rect x="${barX.toFixed(1)}" y="${(plotBottom - barHeight).toFixed(1)}" width="${(slot * 0.5).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${COLORS[library]}"><title>${escapeXml(`${library}: ${label}`)}</title></rect>`,
    );
    parts.push(
      text(
        barX + slot * 0.25,
        plotBottom - barHeight - 6,
        label,
        'class="tick" text-anchor="middle"',
      ),
    );
    parts.push(
      text(barX + slot * 0.25, plotBottom + 16, library, 'class="tick" text-anchor="middle"'),
    );
  });
  const size = formatSize(result.size);
  if (size) {
    parts.push(
      text((PLOT.left + width - PLOT.right) / 2, height - 8, `size ${size}`, 'class="axis"'),
    );
  }
  return parts;
}

/** Results of one group split into families (same name), each family's sizes ascending. */
function families(results: readonly CaseResult[]): CaseResult[][] {
  const byName = new Map<string, CaseResult[]>();
  for (const result of results) {
    const family = byName.get(result.name) ?? [];
    family.push(result);
    byName.set(result.name, family);
  }
  return [...byName.values()].map((family) =>
    [...family].sort((a, b) => (a.size ?? 0) - (b.size ?? 0)),
  );
}

/** One SVG per group: a panel per family, lines over sizes or bars for a single size. */
export function renderGroupSvg(group: string, results: readonly CaseResult[]): string {
  const panels = families(results);
  const rows = Math.max(1, Math.ceil(panels.length / PANEL_COLUMNS));
  const header = 56;
  const width = PANEL_WIDTH * PANEL_COLUMNS;
  const height = header + rows * PANEL_HEIGHT;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    '<style>.grid{stroke:#e5e7eb;stroke-width:1}.frame{stroke:#9ca3af;stroke-width:1}' +
      '.tick{fill:#4b5563;font-size:11px}.axis{fill:#6b7280;font-size:11px;text-anchor:middle}' +
      '.title{font-weight:600;font-size:13px}</style>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    text(16, 24, `${group}: syncstore vs TinyBase (median cost, lower is better)`, 'class="title"'),
  ];
  LIBRARIES.forEach((library, index) => {
    const legendX = 16 + index * 110;
    parts.push(`<rect x="${legendX}" y="36" width="12" height="12" fill="${COLORS[library]}"/>`);
    parts.push(text(legendX + 18, 46, library));
  });
  panels.forEach((family, index) => {
    const panelX = (index % PANEL_COLUMNS) * PANEL_WIDTH;
    const panelY = header + Math.floor(index / PANEL_COLUMNS) * PANEL_HEIGHT;
    const distinctSizes = new Set(family.map((result) => result.size));
    const useLines = distinctSizes.size > 1 && family.every((result) => result.size !== undefined);
    const chart = useLines
      ? lineChart(family, PANEL_WIDTH, PANEL_HEIGHT)
      : barChart(family[family.length - 1], PANEL_WIDTH, PANEL_HEIGHT);
    parts.push(
      `<g transform="translate(${panelX} ${panelY})">`,
      `<rect x="4" y="4" width="${PANEL_WIDTH - 8}" height="${PANEL_HEIGHT - 8}" fill="none" class="frame" rx="4"/>`,
      text(16, 24, `${family[0].name} (${family[0].unit})`, 'class="title"'),
      ...chart,
      '</g>',
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

// --- writing the files ---------------------------------------------------------------------

/**
 * Merges this run into `<directory>/results.json` and rewrites results.md and the SVG of every
 * group that has results. Returns the paths written.
 */
export function writeReport(
  directory: string,
  run: RunInfo,
  results: readonly CaseResult[],
  definedKeys: ReadonlySet<string>,
  loadedGroups: ReadonlySet<string>,
): string[] {
  mkdirSync(directory, {recursive: true});
  const jsonPath = join(directory, 'results.json');
  const file = mergeResults(
    readResultsFile(jsonPath),
    run.date,
    run,
    results,
    definedKeys,
    loadedGroups,
  );
  const written = [jsonPath, join(directory, 'results.md')];
  writeFileSync(jsonPath, `${JSON.stringify(file, null, 2)}\n`);
  writeFileSync(written[1], renderMarkdown(file));
  for (const [group, resultsOfGroup] of groupResults(file.results)) {
    const svgPath = join(directory, `${fileNameFor(group)}.svg`);
    writeFileSync(svgPath, renderGroupSvg(group, resultsOfGroup));
    written.push(svgPath);
  }
  return written;
}
