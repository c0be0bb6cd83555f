// The README's benchmark chart (bench/summary-chart.ts): one row per case at its largest size,
// bars to the left of 1x where syncstore costs less, and no ratio where TinyBase did not finish.
import {describe, expect, test} from 'vitest';
import {type CaseResult, median} from '../../bench/harness.js';
import {renderSummarySvg, summaryRows} from '../../bench/summary-chart.js';

function side(samples: number[], rowsSynced?: number): CaseResult['syncstore'] {
  return {
    samples,
    median: median(samples),
    extras:
      rowsSynced === undefined ? {} : ({'rows synced': [rowsSynced]} as Record<string, number[]>),
  };
}

function result(
  name: string,
  size: number | undefined,
  syncstore: number,
  tinybase: number,
  rows?: {syncstore: number; tinybase: number},
): CaseResult {
  return {
    group: 'sync',
    name,
    size,
    unit: 'ms',
    syncstore: side([syncstore], rows?.syncstore),
    tinybase: side([tinybase], rows?.tinybase),
    ratio: syncstore / tinybase,
  };
}

describe('summaryRows', () => {
  test('keeps the largest size of each case, in order, and no ratio where TinyBase gave up', () => {
    const rows = summaryRows([
      result('initial sync', 1000, 1, 4),
      result('initial sync', 100_000, 10, 50),
      result('initial sync', 10_000, 5, 10),
      result('latency p50', undefined, 1, 2),
      result('capped sync', 1_000_000, 2000, 5000, {syncstore: 100_000, tinybase: 0}),
      result('finished sync', 1_000_000, 2000, 8000, {syncstore: 100_000, tinybase: 100_000}),
    ]);
    expect(rows).toEqual([
      {label: 'sync: initial sync, 100k', ratio: 0.2},
      {label: 'sync: latency p50', ratio: 0.5},
      {label: 'sync: capped sync, 1M', ratio: null},
      {label: 'sync: finished sync, 1M', ratio: 0.25},
    ]);
  });
});

describe('renderSummarySvg', () => {
  const svg = renderSummarySvg(
    [
      {label: 'cheaper <case>', ratio: 0.05},
      {label: 'costlier', ratio: 2},
      {label: 'gave up', ratio: null},
    ],
    'measured here',
  );

  test('draws a bar per ratio, left of 1x in syncstore blue, right of it in TinyBase orange', () => {
    const bars = [
      ...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*fill="(#\w+)"/g),
    ];
    expect(bars.map((bar) => bar[3])).toEqual(['#2563eb', '#ea580c']);
    const oneX = Number(/<line x1="([\d.]+)"[^>]*class="one"/.exec(svg)?.[1]);
    const [cheaper, costlier] = bars.map((bar) => [
      Number(bar[1]),
      Number(bar[1]) + Number(bar[2]),
    ]);
    expect(cheaper![1]).toBeCloseTo(oneX, 0);
    expect(cheaper![0]).toBeLessThan(oneX);
    expect(costlier![0]).toBeCloseTo(oneX, 0);
    expect(costlier![1]).toBeGreaterThan(oneX);
  });

  test('labels ratios and the case TinyBase did not finish, with text escaped', () => {
    expect(svg).toContain('>0.050x<');
    expect(svg).toContain('>2.00x<');
    expect(svg).toContain('TinyBase did not finish');
    expect(svg).toContain('cheaper &lt;case&gt;');
    expect(svg).toContain('measured here');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });

  test('refuses to draw nothing', () => {
    expect(() => renderSummarySvg([], '')).toThrow(
      'renderSummarySvg: no benchmark results to chart',
    );
  });
});
