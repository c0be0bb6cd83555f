// @vitest-environment happy-dom
// SortedTableInHtmlTable and SortedTablePaginator in use: header clicks re-sort, the paginator
// pages, store changes re-render; after every step both libraries show the same and report the
// same onChange calls, and the step did what it should.
import {describe, expect, test} from 'vitest';
import {act, type Content, fireEvent, type Live, renderLive, type Side} from './support.js';

const content: Content = {
  tables: {
    pets: {
      fido: {species: 'dog', legs: 4, sold: false},
      felix: {species: 'cat', legs: 4},
      cujo: {species: 'wolf', legs: 4, sold: true},
      lowly: {species: 'worm'},
      polly: {species: 'parrot', legs: 2},
    },
  },
};

type Sorting = [string | undefined, boolean, number];

/** onChange calls per side. */
function recorder() {
  const calls: {[side: string]: Sorting[]} = {syncstore: [], tinybase: []};
  return {calls, onChange: (side: Side) => (sorting: Sorting) => calls[side.name].push(sorting)};
}

const rowIdsShown = (live: Live) =>
  [...live.ours.container.querySelectorAll('tbody th')].map((th) => th.textContent);
const headers = (side: Side & {container: HTMLElement}) => [
  ...side.container.querySelectorAll('thead th'),
];
const clickHeader = (live: Live, index: number) =>
  live.both((side) => fireEvent.click(headers(side)[index]));
const clickButton = (live: Live, className: string) =>
  live.both((side) => fireEvent.click(side.container.querySelector(`button.${className}`)!));

describe('SortedTableInHtmlTable with sortOnClick', () => {
  test('a click on a header sorts by it, a second click reverses, the page stays', () => {
    const {calls, onChange} = recorder();
    const live = renderLive(content, (side) => (
      <side.dom.SortedTableInHtmlTable
        tableId="pets"
        cellId="species"
        sortOnClick
        limit={2}
        paginator
        onChange={onChange(side)}
      />
    ));
    live.expectSame();
    expect(rowIdsShown(live)).toEqual(['felix', 'fido']);

    clickButton(live, 'next');
    live.expectSame();
    expect(rowIdsShown(live)).toEqual(['polly', 'cujo']);

    clickHeader(live, 1); // species again: descending
    expect(live.expectSame()).toContain('<th class="sorted descending">↓ species</th>');
    expect(rowIdsShown(live)).toEqual(['polly', 'fido']);

    clickHeader(live, 2); // legs: ascending, same page
    expect(live.expectSame()).toContain('<th class="sorted ascending">↑ legs</th>');
    expect(rowIdsShown(live)).toEqual(['fido', 'felix']);

    clickHeader(live, 0); // Id: by row id
    expect(live.expectSame()).toContain('<th class="sorted ascending">↑ Id</th>');
    expect(rowIdsShown(live)).toEqual(['fido', 'lowly']);

    clickHeader(live, 0);
    expect(live.expectSame()).toContain('<th class="sorted descending">↓ Id</th>');
    expect(rowIdsShown(live)).toEqual(['fido', 'felix']);

    const expected: Sorting[] = [
      ['species', false, 2],
      ['species', true, 2],
      ['legs', false, 2],
      [undefined, false, 2],
      [undefined, true, 2],
    ];
    expect(calls.syncstore).toEqual(expected);
    expect(calls.tinybase).toEqual(expected);
  });

  test('from a descending column, another column sorts ascending', () => {
    const {calls, onChange} = recorder();
    const live = renderLive(content, (side) => (
      <side.dom.SortedTableInHtmlTable
        tableId="pets"
        cellId="species"
        descending
        sortOnClick
        onChange={onChange(side)}
      />
    ));
    clickHeader(live, 2);
    expect(live.expectSame()).toContain('<th class="sorted ascending">↑ legs</th>');
    expect(calls.syncstore).toEqual([['legs', false, 0]]);
    expect(calls.tinybase).toEqual(calls.syncstore);
  });

  test('custom labels and extra columns: extra headers do not sort', () => {
    const {calls, onChange} = recorder();
    const live = renderLive(content, (side) => (
      <side.dom.SortedTableInHtmlTable
        tableId="pets"
        customCells={{legs: 'Legs'}}
        idColumn={false}
        sortOnClick
        extraCellsBefore={[{label: 'B', component: ({rowId}) => <i>{rowId}</i>}]}
        onChange={onChange(side)}
      />
    ));
    clickHeader(live, 0);
    expect(live.expectSame()).not.toContain('sorted');
    expect(calls.syncstore).toEqual([]);
    clickHeader(live, 1);
    expect(live.expectSame()).toContain('<th class="sorted ascending">↑ Legs</th>');
    expect(calls.syncstore).toEqual([['legs', false, 0]]);
    expect(calls.tinybase).toEqual(calls.syncstore);
  });
});

describe('SortedTableInHtmlTable without sortOnClick', () => {
  test('header clicks change nothing', () => {
    const {calls, onChange} = recorder();
    const live = renderLive(content, (side) => (
      <side.dom.SortedTableInHtmlTable tableId="pets" cellId="species" onChange={onChange(side)} />
    ));
    const before = live.expectSame();
    clickHeader(live, 2);
    expect(live.expectSame()).toBe(before);
    expect(rowIdsShown(live)).toEqual(['felix', 'fido', 'polly', 'cujo', 'lowly']);
    expect(calls).toEqual({syncstore: [], tinybase: []});
  });

  test('sorting props are where it starts: later prop changes are ignored, as in TinyBase', () => {
    const live = renderLive(content, (side) => (
      <side.dom.SortedTableInHtmlTable tableId="pets" cellId="species" limit={2} />
    ));
    for (const side of [live.ours, live.theirs]) {
      side.rerender(
        <side.ui.Provider store={side.store}>
          <side.dom.SortedTableInHtmlTable tableId="pets" cellId="legs" descending limit={2} />
        </side.ui.Provider>,
      );
    }
    expect(live.expectSame()).toContain('↑ species');
    expect(rowIdsShown(live)).toEqual(['felix', 'fido']);
  });
});

describe('paging', () => {
  test('next and previous move by the limit and stop at the ends', () => {
    const {calls, onChange} = recorder();
    const live = renderLive(content, (side) => (
      <side.dom.SortedTableInHtmlTable
        tableId="pets"
        limit={2}
        paginator
        onChange={onChange(side)}
      />
    ));
    expect(live.expectSame()).toContain('<button class="previous" disabled="">←</button>');
    expect(rowIdsShown(live)).toEqual(['cujo', 'felix']);
    clickButton(live, 'previous'); // disabled: nothing
    clickButton(live, 'next');
    expect(live.expectSame()).toContain('3 to 4 of 5 rows');
    clickButton(live, 'next');
    expect(live.expectSame()).toContain(
      '<button class="next" disabled="">→</button>5 to 5 of 5 rows',
    );
    expect(rowIdsShown(live)).toEqual(['polly']);
    clickButton(live, 'next'); // disabled: nothing
    clickButton(live, 'previous');
    expect(live.expectSame()).toContain('3 to 4 of 5 rows');
    expect(rowIdsShown(live)).toEqual(['fido', 'lowly']);
    const expected: Sorting[] = [
      [undefined, false, 2],
      [undefined, false, 4],
      [undefined, false, 2],
    ];
    expect(calls.syncstore).toEqual(expected);
    expect(calls.tinybase).toEqual(expected);
  });

  test('rows deleted under the last page: back to the first page, and onChange hears it', () => {
    const {calls, onChange} = recorder();
    const live = renderLive(content, (side) => (
      <side.dom.SortedTableInHtmlTable
        tableId="pets"
        limit={2}
        offset={4}
        paginator
        onChange={onChange(side)}
      />
    ));
    expect(rowIdsShown(live)).toEqual(['polly']);
    live.both(({store}) => store.delRow('pets', 'polly'));
    expect(live.expectSame()).toContain('1 to 2 of 4 rows');
    expect(rowIdsShown(live)).toEqual(['cujo', 'felix']);
    expect(calls.syncstore).toEqual([[undefined, false, 0]]);
    expect(calls.tinybase).toEqual(calls.syncstore);
    live.both(({store}) => {
      store.delRow('pets', 'cujo');
      store.delRow('pets', 'felix');
      store.delRow('pets', 'fido');
    });
    expect(live.expectSame()).toContain('<caption>1 row</caption>');
    expect(rowIdsShown(live)).toEqual(['lowly']);
  });

  test('a custom paginator gets offset, limit, total and onChange', () => {
    const live = renderLive(content, (side) => (
      <side.dom.SortedTableInHtmlTable
        tableId="pets"
        limit={2}
        paginator={({offset, limit, total, onChange}) => (
          <button type="button" onClick={() => onChange(3)}>{`${offset}/${limit}/${total}`}</button>
        )}
      />
    ));
    expect(live.expectSame()).toContain('0/2/5');
    live.both((side) => fireEvent.click(side.container.querySelector('caption button')!));
    expect(live.expectSame()).toContain('3/2/5');
    expect(rowIdsShown(live)).toEqual(['lowly', 'polly']);
  });

  test('SortedTablePaginator on its own calls onChange; an offset out of range asks for 0', () => {
    const offsets: {[side: string]: number[]} = {syncstore: [], tinybase: []};
    const paginator = (side: Side, offset: number) => (
      <side.dom.SortedTablePaginator
        onChange={(next) => offsets[side.name].push(next)}
        total={5}
        limit={2}
        offset={offset}
      />
    );
    const live = renderLive({}, (side) => paginator(side, 1));
    clickButton(live, 'previous');
    clickButton(live, 'next');
    expect(live.expectSame()).toContain('2 to 3 of 5 rows');
    expect(offsets.syncstore).toEqual([0, 3]);
    for (const offset of [7, -3]) {
      for (const side of [live.ours, live.theirs]) {
        act(() => side.rerender(paginator(side, offset)));
      }
      expect(live.expectSame()).toContain('1 to 2 of 5 rows');
    }
    expect(offsets.syncstore).toEqual([0, 3, 0, 0]);
    expect(offsets.tinybase).toEqual(offsets.syncstore);
  });
});

describe('store changes re-render the tables', () => {
  test('rows and cells added, changed and removed', () => {
    const live = renderLive(content, (side) => (
      <>
        <side.dom.TableInHtmlTable tableId="pets" />
        <side.dom.SortedTableInHtmlTable tableId="pets" cellId="species" descending />
        <side.dom.ValuesInHtmlTable />
      </>
    ));
    live.expectSame();
    live.both(({store}) => store.setRow('pets', 'rex', {species: 'zebra', color: 'striped'}));
    expect(live.expectSame()).toContain('<th>color</th>');
    live.both(({store}) => store.setCell('pets', 'felix', 'species', 'ant'));
    live.both(({store}) => store.setValue('open', false).setValue('count', 2));
    expect(live.expectSame()).toContain('<th title="count">count</th><td>2</td>');
    live.both(({store}) => store.delRow('pets', 'fido').delValue('open'));
    const last = live.expectSame();
    expect(last).not.toContain('fido');
    expect(last).toContain('<td>ant</td>');
  });
});
