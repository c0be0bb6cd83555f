// The benchmark harness's pure parts: statistics, formatting, the sample schedule, and the
// report writers. No timing is asserted here; bench/ itself measures.

import {describe, expect, it} from 'vitest';
import {
  type CaseResult,
  defineCase,
  formatNumber,
  formatRatio,
  formatSize,
  median,
  ratioOf,
  runCase,
  type Sample,
} from '../../bench/harness.js';
import {
  buildTable,
  mergeResults,
  type RunInfo,
  renderGroupSvg,
  renderMarkdown,
  renderTextTable,
  resultKey,
} from '../../bench/report.js';

function sideResult(samples: number[], extras: Record<string, number[]> = {}) {
  return {samples, median: median(samples), extras};
}

function result(name: string, size: number | undefined, syncstore: number, tinybase: number) {
  return {
    group: 'store',
    name,
    ...(size === undefined ? {} : {size}),
    unit: 'ms',
    syncstore: sideResult([syncstore]),
    tinybase: sideResult([tinybase]),
    ratio: ratioOf(syncstore, tinybase),
  } satisfies CaseResult;
}

const RUN: RunInfo = {
  date: '2026-01-01T00:00:00.000Z',
  node: 'v20.20.2',
  cpu: 'Test CPU',
  cores: 2,
  platform: 'linux x64',
  command: 'npm run bench -- --filter store',
};

/**
 * Checks that markup is well-formed XML as far as charts need: every tag closed in order, no
 * stray `<` or unescaped `&` in text or attribute values, exactly one root element.
 */
function expectWellFormedXml(markup: string): void {
  const tagPattern = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  const open: string[] = [];
  let roots = 0;
  let position = 0;
  for (const match of markup.matchAll(tagPattern)) {
    const between = markup.slice(position, match.index);
    expect(between).not.toContain('<');
    expect(between).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
    expect(match[3]).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
    const [, closing, name, , selfClosing] = match;
    if (closing) {
      expect(open.pop()).toBe(name);
    } else {
      if (open.length === 0) {
        roots++;
      }
      if (!selfClosing) {
        open.push(name);
      }
    }
    position = match.index + match[0].length;
  }
  expect(markup.slice(position).trim()).toBe('');
  expect(open).toEqual([]);
  expect(roots).toBe(1);
}

describe('statistics and formatting', () => {
  it('takes the median of odd and even sample counts without reordering the input', () => {
    const samples = [5, 1, 4, 2, 3];
    expect(median(samples)).toBe(3);
    expect(samples).toEqual([5, 1, 4, 2, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('formats the ratio syncstore / tinybase, with a dash when undefined', () => {
    expect(formatRatio(ratioOf(50, 100))).toBe('0.50x');
    expect(formatRatio(ratioOf(300, 100))).toBe('3.00x');
    expect(formatRatio(ratioOf(1, 200))).toBe('0.005x');
    expect(formatRatio(ratioOf(1, 0))).toBe('–');
  });

  it('labels sizes as 1k / 10k / 100k', () => {
    expect([100, 1_000, 10_000, 100_000, 2_000_000, 1_500].map(formatSize)).toEqual([
      '100',
      '1k',
      '10k',
      '100k',
      '2M',
      '1500',
    ]);
    expect(formatSize(undefined)).toBe('');
  });

  it('formats numbers to about three significant digits', () => {
    expect([1234.5, 12.345, 1.2345, 0.012345, 42].map(formatNumber)).toEqual([
      '1235',
      '12.3',
      '1.23',
      '0.012',
      '42',
    ]);
  });
});

describe('runCase', () => {
  it('alternates syncstore and tinybase, drops warm-ups and takes medians', async () => {
    const calls: string[] = [];
    let syncstoreCount = 0;
    let tinybaseCount = 0;
    const benchCase = defineCase({
      group: 'g',
      name: 'n',
      size: 10,
      unit: 'things',
      samples: 5,
      warmup: 2,
      setup: () => {
        calls.push('setup');
        return {factor: 10};
      },
      teardown: () => {
        calls.push('teardown');
      },
      syncstore: {
        prepare: () => {
          calls.push('prepare syncstore');
          return ++syncstoreCount;
        },
        // Warm-ups are samples 1-2, so measured ones are 3..7 (times 10): median 50.
        measure: (count: number, input: {factor: number}): Sample => count * input.factor,
        cleanup: () => {
          calls.push('cleanup syncstore');
        },
      },
      tinybase: {
        measure: (): Sample => {
          calls.push('measure tinybase');
          tinybaseCount++;
          return {value: 100 * tinybaseCount, extras: {messages: tinybaseCount}};
        },
      },
    });
    const result = await runCase(benchCase);
    expect(calls.slice(0, 5)).toEqual([
      'setup',
      'prepare syncstore',
      'cleanup syncstore',
      'measure tinybase',
      'prepare syncstore',
    ]);
    expect(calls.at(-1)).toBe('teardown');
    expect(calls.filter((call) => call === 'measure tinybase')).toHaveLength(7);
    expect(result.syncstore.samples).toEqual([30, 40, 50, 60, 70]);
    expect(result.syncstore.median).toBe(50);
    expect(result.tinybase.median).toBe(500);
    expect(result.tinybase.extras).toEqual({messages: [3, 4, 5, 6, 7]});
    expect(result.ratio).toBe(0.1);
    expect(result).toMatchObject({group: 'g', name: 'n', size: 10, unit: 'things'});
  });

  it('times run() sides in milliseconds and awaits async ones', async () => {
    let finished = 0;
    const result = await runCase(
      defineCase({
        group: 'g',
        name: 'timed',
        syncstore: {run: () => [1, 2, 3].reduce((a, b) => a + b)},
        tinybase: {
          run: async () => {
            await new Promise((resolve) => setTimeout(resolve, 1));
            finished++;
          },
        },
      }),
      {samples: 5, warmup: 0},
    );
    expect(finished).toBe(5);
    expect(result.unit).toBe('ms');
    expect(result.syncstore.samples).toHaveLength(5);
    expect(result.tinybase.samples.every((sample) => sample >= 0)).toBe(true);
  });

  it('refuses fewer than 5 samples and sides without exactly one of run/measure', async () => {
    const side = {run: () => undefined};
    await expect(
      runCase(defineCase({group: 'g', name: 'few', samples: 4, syncstore: side, tinybase: side})),
    ).rejects.toThrow(/samples must be an integer >= 5/);
    await expect(
      runCase(defineCase({group: 'g', name: 'x', syncstore: side, tinybase: side}), {samples: 3}),
    ).rejects.toThrow(/samples/);
    const both = {run: () => undefined, measure: () => 1};
    await expect(
      runCase(defineCase({group: 'g', name: 'both', syncstore: side, tinybase: both})),
    ).rejects.toThrow(/tinybase side needs exactly one of run\(\) or measure\(\)/);
  });

  it('reports an error thrown by a case and still tears it down', async () => {
    let tornDown = false;
    const failing = defineCase({
      group: 'g',
      name: 'fails',
      teardown: () => {
        tornDown = true;
      },
      syncstore: {run: () => undefined},
      tinybase: {
        run: () => undefined,
        cleanup: () => {
          throw new Error('wrong row count');
        },
      },
    });
    await expect(runCase(failing)).rejects.toThrow('wrong row count');
    expect(tornDown).toBe(true);
  });
});

describe('report', () => {
  const results: CaseResult[] = [
    result('write <a & b>', 1_000, 5, 10),
    result('write <a & b>', 10_000, 50, 100),
    result('write <a & b>', 100_000, 500, 1_000),
    {
      ...result('retained heap', 100_000, 20, 40),
      unit: 'MiB',
      syncstore: sideResult([20], {'bytes/cell': [200]}),
      tinybase: sideResult([40], {'bytes/cell': [400]}),
    },
  ];

  it('builds a table with medians, ratio and extra columns', () => {
    const table = buildTable(results);
    expect(table.header).toEqual(['case', 'size', 'syncstore', 'tinybase', 'ratio', 'bytes/cell']);
    expect(table.rows[0]).toEqual(['write <a & b>', '1k', '5 ms', '10 ms', '0.50x', '']);
    expect(table.rows[3]).toEqual([
      'retained heap',
      '100k',
      '20 MiB',
      '40 MiB',
      '0.50x',
      '200 / 400',
    ]);
    const lines = renderTextTable(table).split('\n');
    expect(lines).toHaveLength(2 + results.length);
    expect(new Set(lines.slice(0, 2).map((line) => line.length)).size).toBe(1);
  });

  it('writes markdown with environment, reproduce command, table and chart link', () => {
    const file = mergeResults(undefined, RUN.date, RUN, results, new Set(), new Set(['store']));
    const markdown = renderMarkdown(file);
    expect(markdown).toContain('## store');
    expect(markdown).toContain('Node v20.20.2, Test CPU (2 cores)');
    expect(markdown).toContain('`npm run bench -- --filter store`');
    expect(markdown).toContain('![store chart](store.svg)');
    const tableLines = markdown.split('\n').filter((line) => line.startsWith('|'));
    expect(tableLines).toHaveLength(2 + results.length);
    const columnCounts = tableLines.map((line) => line.split(' | ').length);
    expect(new Set(columnCounts).size).toBe(1);
    expect(tableLines[1]).toBe('| --- | ---: | ---: | ---: | ---: | ---: |');
  });

  it('draws a well-formed SVG with a line per library and bars for single-size families', () => {
    const svg = renderGroupSvg('store', results);
    expectWellFormedXml(svg);
    expect(svg).toContain('write &lt;a &amp; b&gt; (ms)');
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(6);
    for (const size of ['1k', '10k', '100k']) {
      expect(svg).toContain(`>${size}</text>`);
    }
    expect(svg).toContain('<title>syncstore: 20 MiB</title>');
  });

  it('merges a run into previous results: replaces, keeps other groups, drops stale cases', () => {
    const earlier: RunInfo = {...RUN, date: '2025-12-31T00:00:00.000Z'};
    const previous = mergeResults(
      undefined,
      earlier.date,
      earlier,
      [
        result('old case', 1_000, 1, 1),
        result('write', 1_000, 9, 9),
        {...result('sync', 1_000, 1, 2), group: 'sync'},
      ],
      new Set(),
      new Set(),
    );
    const current = [result('write', 1_000, 4, 8), result('write', 10_000, 40, 80)];
    const merged = mergeResults(
      previous,
      RUN.date,
      RUN,
      current,
      new Set(current.map(resultKey)),
      new Set(['store']),
    );
    expect(
      merged.results.map((stored) => [stored.group, stored.name, stored.size, stored.run]),
    ).toEqual([
      ['store', 'write', 1_000, RUN.date],
      ['store', 'write', 10_000, RUN.date],
      ['sync', 'sync', 1_000, earlier.date],
    ]);
    expect(Object.keys(merged.runs).sort()).toEqual([earlier.date, RUN.date]);
  });
});
