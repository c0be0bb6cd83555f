// One chart for the README: every benchmark family at its largest size, as a bar from the 1x line
// (same cost) on a log scale: to the left when syncstore costs less than TinyBase, to the right
// when it costs more. A case TinyBase did not finish (fewer rows synced than syncstore: its median
// is only the cap it hit) is drawn as such, with no ratio. Pure: results in, SVG out.
import {type CaseResult, formatRatio, formatSize, median} from './harness.js';
import {COLORS, escapeXml} from './report.js';

export type SummaryRow = {
  label: string;
  /** syncstore / TinyBase at that size; null when TinyBase did not finish. */
  ratio: number | null;
};

const ROWS_SYNCED = 'rows synced';

/** False when TinyBase synced fewer rows than syncstore did: it hit the case's cap instead. */
function tinybaseFinished(result: CaseResult): boolean {
  const theirs = result.tinybase.extras[ROWS_SYNCED];
  const ours = result.syncstore.extras[ROWS_SYNCED];
  return theirs === undefined || ours === undefined || median(theirs) >= median(ours);
}

/** One row per group and case name, at the largest size measured, in the results' order. */
export function summaryRows(results: readonly CaseResult[]): SummaryRow[] {
  const largest = new Map<string, CaseResult>();
  for (const result of results) {
    const key = `${result.group}\u0000${result.name}`;
    const kept = largest.get(key);
    if (kept === undefined || (result.size ?? 0) > (kept.size ?? 0)) {
      largest.set(key, result);
    }
  }
  return [...largest.values()].map((result) => {
    const size = formatSize(result.size);
    return {
      label: `${result.group}: ${result.name}${size ? `, ${size}` : ''}`,
      ratio: tinybaseFinished(result) && Number.isFinite(result.ratio) ? result.ratio : null,
    };
  });
}

const ROW_HEIGHT = 24;
const LABEL_WIDTH = 430;
const PLOT_WIDTH = 420;
const HEADER = 64;
const FOOTER = 34;

/** The ratios' span in decades, padded, always including 1x. */
function decadeRange(rows: readonly SummaryRow[]): [number, number] {
  const exponents = rows
    .flatMap((row) => (row.ratio !== null && row.ratio > 0 ? [Math.log10(row.ratio)] : []))
    .concat(0);
  return [Math.floor(Math.min(...exponents)), Math.max(1, Math.ceil(Math.max(...exponents)))];
}

export function renderSummarySvg(rows: readonly SummaryRow[], subtitle: string): string {
  if (rows.length === 0) {
    throw new Error('renderSummarySvg: no benchmark results to chart');
  }
  const [low, high] = decadeRange(rows);
  const x = (ratio: number) =>
    LABEL_WIDTH + ((Math.log10(ratio) - low) / (high - low)) * PLOT_WIDTH;
  const width = LABEL_WIDTH + PLOT_WIDTH + 110;
  const height = HEADER + rows.length * ROW_HEIGHT + FOOTER;
  const plotBottom = HEADER + rows.length * ROW_HEIGHT;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    '<style>.grid{stroke:#e5e7eb}.one{stroke:#111827;stroke-width:1.5}.label{fill:#111827}' +
      '.tick{fill:#4b5563;font-size:11px}.title{font-weight:600;font-size:14px}</style>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="24" class="title">syncstore / TinyBase, median cost of the same work (log scale; left of 1x: syncstore costs less)</text>`,
    `<text x="16" y="44" class="tick">${escapeXml(subtitle)}</text>`,
  ];
  for (let exponent = low; exponent <= high; exponent++) {
    const ratio = 10 ** exponent;
    const lineX = x(ratio).toFixed(1);
    parts.push(
      `<line x1="${lineX}" y1="${HEADER - 6}" x2="${lineX}" y2="${plotBottom}" class="${exponent === 0 ? 'one' : 'grid'}"/>`,
      `<text x="${lineX}" y="${plotBottom + 16}" class="tick" text-anchor="middle">${escapeXml(formatRatio(ratio))}</text>`,
    );
  }
  rows.forEach((row, index) => {
    const top = HEADER + index * ROW_HEIGHT;
    const middle = top + ROW_HEIGHT / 2 + 4;
    parts.push(
      `<text x="${LABEL_WIDTH - 10}" y="${middle}" class="label" text-anchor="end">${escapeXml(row.label)}</text>`,
    );
    if (row.ratio === null) {
      parts.push(`<text x="${x(1) + 6}" y="${middle}" class="tick">TinyBase did not finish</text>`);
      return;
    }
    const from = Math.min(x(1), x(row.ratio));
    const to = Math.max(x(1), x(row.ratio));
    const color = row.ratio <= 1 ? COLORS.syncstore : COLORS.tinybase;
    parts.push(
      `<rect x="${from.toFixed(1)}" y="${top + 5}" width="${Math.max(1, to - from).toFixed(1)}" height="${ROW_HEIGHT - 10}" fill="${color}"><title>${escapeXml(`${row.label}: ${formatRatio(row.ratio)}`)}</title></rect>`,
      `<text x="${(to + 6).toFixed(1)}" y="${middle}" class="tick">${escapeXml(formatRatio(row.ratio))}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
