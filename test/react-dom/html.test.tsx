// Server-rendered HTML: for the same content and props, each syncstore/react-dom component renders
// exactly what TinyBase's ui-react-dom renders. Each case also checks a piece of TinyBase's output,
// so that a case where both sides render nothing cannot pass.
import type {ReactNode} from 'react';
import {describe, expect, test} from 'vitest';
import type {CellProps, RowProps, ValueProps} from '../../src/react/index.js';
import {type Content, renderStatic, type Side} from './support.js';

const content: Content = {
  tables: {
    pets: {
      fido: {species: 'dog', legs: 4, sold: false, tags: ['a', 'b'], meta: {x: 1}},
      felix: {species: 'cat', legs: 4},
      cujo: {species: 'wolf', legs: 4, sold: true},
      lowly: {species: 'worm'},
      polly: {species: 'parrot', legs: 2, price: 7.5},
    },
    nulls: {n: {nothing: null, one: 1}},
    mixed: {a: {m: 'b'}, b: {m: 10}, c: {m: 9}, d: {m: true}, e: {m: 'a'}, f: {}, g: {m: 2}},
  },
  values: {
    open: true,
    employees: 3,
    motto: 'hi',
    list: [1, 'two'],
    shape: {a: 1},
    none: '',
    nil: null,
  },
};

/** A custom cell component that shows the props it was given, so that they are compared too. */
function PropsCell({
  tableId,
  rowId,
  cellId,
  store,
  ...extra
}: CellProps & {[prop: string]: unknown}) {
  return <i>{JSON.stringify({tableId, rowId, cellId, store: typeof store, extra})}</i>;
}
function PropsRow({tableId, rowId, store}: RowProps) {
  return <u>{`${tableId}/${rowId}/${typeof store}`}</u>;
}
function PropsValue({valueId, store, ...extra}: ValueProps & {[prop: string]: unknown}) {
  return <b>{JSON.stringify({valueId, store: typeof store, extra})}</b>;
}
/** A custom cell that renders the library's own CellView inside. */
function Wrapped(side: Side) {
  return ({tableId, rowId, cellId, store}: CellProps) => (
    <em>
      <side.ui.CellView tableId={tableId} rowId={rowId} cellId={cellId} store={store} />
    </em>
  );
}

type Case = [name: string, tree: (side: Side) => ReactNode, expectedInTinyBase: string];

const cases: Case[] = [
  // TableInHtmlTable
  [
    'TableInHtmlTable with every cell type, header and id column',
    ({dom}) => <dom.TableInHtmlTable tableId="pets" />,
    '<th title="fido">fido</th><td>dog</td><td>4</td><td>false</td><td>a,b</td>',
  ],
  [
    'TableInHtmlTable with a className',
    ({dom}) => <dom.TableInHtmlTable tableId="pets" className="pets" />,
    '<table class="pets">',
  ],
  [
    'TableInHtmlTable without header row',
    ({dom}) => <dom.TableInHtmlTable tableId="pets" headerRow={false} />,
    '<table><tbody><tr><th title="fido">',
  ],
  [
    'TableInHtmlTable without id column',
    ({dom}) => <dom.TableInHtmlTable tableId="pets" idColumn={false} />,
    '<thead><tr><th>species</th>',
  ],
  [
    'TableInHtmlTable of a missing table',
    ({dom}) => <dom.TableInHtmlTable tableId="none" />,
    '<thead><tr><th>Id</th></tr></thead><tbody></tbody>',
  ],
  [
    'TableInHtmlTable with customCells as ids (one missing)',
    ({dom}) => <dom.TableInHtmlTable tableId="pets" customCells={['legs', 'species', 'nope']} />,
    '<th>legs</th><th>species</th><th>nope</th>',
  ],
  [
    'TableInHtmlTable with empty customCells',
    ({dom}) => <dom.TableInHtmlTable tableId="pets" customCells={[]} />,
    '<tr><th title="fido">fido</th></tr>',
  ],
  [
    'TableInHtmlTable with customCells labels, components and props',
    ({dom}) => (
      <dom.TableInHtmlTable
        tableId="pets"
        customCells={{
          legs: 'Legs',
          species: {
            label: 'Kind',
            component: PropsCell,
            getComponentProps: (rowId, cellId) => ({rowId: 'ignored', tag: `${rowId}.${cellId}`}),
          },
          sold: {},
        }}
      />
    ),
    '<th>Legs</th><th>Kind</th><th>sold</th>',
  ],
  [
    'TableInHtmlTable with a custom component around CellView',
    (side) => (
      <side.dom.TableInHtmlTable
        tableId="pets"
        customCells={{species: {component: Wrapped(side)}}}
        headerRow={false}
      />
    ),
    '<td><em>dog</em></td>',
  ],
  [
    'TableInHtmlTable with extra cells before and after',
    ({dom}) => (
      <dom.TableInHtmlTable
        tableId="pets"
        customCells={['legs']}
        extraCellsBefore={[{label: 'Before', component: PropsRow}]}
        extraCellsAfter={[
          {label: 'After', component: PropsRow},
          {label: 'Again', component: PropsRow},
        ]}
      />
    ),
    '<th class="extra">Before</th><th>Id</th><th>legs</th><th class="extra">After</th>',
  ],
  [
    'TableInHtmlTable from a named store',
    ({dom}) => (
      <dom.TableInHtmlTable
        tableId="pets"
        store="named"
        customCells={{species: {component: PropsCell}}}
      />
    ),
    'store&quot;:&quot;string',
  ],
  [
    'TableInHtmlTable from an explicit store',
    ({dom, store}) => (
      <dom.TableInHtmlTable
        tableId="pets"
        store={store}
        customCells={{species: {component: PropsCell}}}
      />
    ),
    'store&quot;:&quot;object',
  ],
  [
    'TableInHtmlTable editable (every type, missing cells)',
    ({dom}) => <dom.TableInHtmlTable tableId="pets" editable />,
    '<div class="editableCell"><button title="array" class="array">array</button>',
  ],
  [
    'TableInHtmlTable editable keeps custom components',
    ({dom}) => (
      <dom.TableInHtmlTable
        tableId="pets"
        editable
        customCells={{legs: {component: PropsCell}, species: 'Kind'}}
      />
    ),
    '<td><div class="editableCell"><button title="string"',
  ],
  [
    'TableInHtmlTable with null cells',
    ({dom}) => <dom.TableInHtmlTable tableId="nulls" />,
    '<th title="n">n</th><td></td><td>1</td>',
  ],
  [
    'TableInHtmlTable editable with null cells: no editor',
    ({dom}) => <dom.TableInHtmlTable tableId="nulls" editable />,
    '<th title="n">n</th><td><div class="editableCell"></div></td>',
  ],
  // SortedTableInHtmlTable
  [
    'SortedTableInHtmlTable by a cell',
    ({dom}) => <dom.SortedTableInHtmlTable tableId="pets" cellId="species" />,
    '<th class="sorted ascending">↑ species</th>',
  ],
  [
    'SortedTableInHtmlTable by a cell some rows lack',
    ({dom}) => <dom.SortedTableInHtmlTable tableId="pets" cellId="legs" />,
    '<tbody><tr><th title="lowly">lowly</th>',
  ],
  [
    'SortedTableInHtmlTable by a boolean cell',
    ({dom}) => <dom.SortedTableInHtmlTable tableId="pets" cellId="sold" customCells={['sold']} />,
    '<th class="sorted ascending">↑ sold</th>',
  ],
  [
    'SortedTableInHtmlTable by a cell of mixed types, descending',
    ({dom}) => <dom.SortedTableInHtmlTable tableId="mixed" cellId="m" descending />,
    '<th class="sorted descending">↓ m</th>',
  ],
  [
    'SortedTableInHtmlTable by row id',
    ({dom}) => <dom.SortedTableInHtmlTable tableId="pets" />,
    '<th class="sorted ascending">↑ Id</th>',
  ],
  [
    'SortedTableInHtmlTable descending',
    ({dom}) => <dom.SortedTableInHtmlTable tableId="pets" cellId="species" descending />,
    '<th class="sorted descending">↓ species</th>',
  ],
  [
    'SortedTableInHtmlTable by row id, descending',
    ({dom}) => <dom.SortedTableInHtmlTable tableId="pets" descending />,
    '<th class="sorted descending">↓ Id</th>',
  ],
  [
    'SortedTableInHtmlTable by a cell that is not a column',
    ({dom}) => (
      <dom.SortedTableInHtmlTable tableId="pets" cellId="price" customCells={['species']} />
    ),
    '<tr><th>Id</th><th>species</th></tr>',
  ],
  [
    'SortedTableInHtmlTable by row id without id column',
    ({dom}) => <dom.SortedTableInHtmlTable tableId="pets" idColumn={false} />,
    '<tr><th>species</th>',
  ],
  [
    'SortedTableInHtmlTable with offset and limit',
    ({dom}) => <dom.SortedTableInHtmlTable tableId="pets" cellId="species" offset={1} limit={2} />,
    '<tbody><tr><th title="fido">fido</th>',
  ],
  [
    'SortedTableInHtmlTable with sortOnClick',
    ({dom}) => (
      <dom.SortedTableInHtmlTable tableId="pets" cellId="legs" sortOnClick className="sortable" />
    ),
    '<table class="sortable"><thead><tr><th>Id</th>',
  ],
  [
    'SortedTableInHtmlTable with the paginator',
    ({dom}) => (
      <dom.SortedTableInHtmlTable tableId="pets" cellId="species" limit={2} offset={2} paginator />
    ),
    '<caption><button class="previous">←</button><button class="next">→</button>3 to 4 of 5 rows</caption>',
  ],
  [
    'SortedTableInHtmlTable with the paginator, no limit',
    ({dom}) => <dom.SortedTableInHtmlTable tableId="pets" paginator />,
    '<caption>5 rows</caption>',
  ],
  [
    'SortedTableInHtmlTable with the paginator off',
    ({dom}) => <dom.SortedTableInHtmlTable tableId="pets" limit={2} paginator={false} />,
    '<table><thead>',
  ],
  [
    'SortedTableInHtmlTable with a custom paginator',
    ({dom}) => (
      <dom.SortedTableInHtmlTable
        tableId="pets"
        limit={2}
        offset={1}
        paginator={({onChange, ...props}) => (
          <span>{`${typeof onChange} ${JSON.stringify(props)}`}</span>
        )}
      />
    ),
    '<caption><span>function {&quot;offset&quot;:1,&quot;limit&quot;:2,&quot;total&quot;:5}</span></caption>',
  ],
  [
    'SortedTableInHtmlTable with everything',
    ({dom}) => (
      <dom.SortedTableInHtmlTable
        tableId="pets"
        cellId="legs"
        descending
        limit={3}
        paginator
        sortOnClick
        editable
        customCells={{legs: 'Legs', species: {label: 'Kind', component: PropsCell}}}
        extraCellsBefore={[{label: 'B', component: PropsRow}]}
        extraCellsAfter={[{label: 'A', component: PropsRow}]}
        className="all"
      />
    ),
    '<th class="extra">B</th><th>Id</th><th class="sorted descending">↓ Legs</th><th>Kind</th><th class="extra">A</th>',
  ],
  // ValuesInHtmlTable
  [
    'ValuesInHtmlTable with a null value',
    ({dom}) => <dom.ValuesInHtmlTable />,
    '<th title="nil">nil</th><td></td>',
  ],
  [
    'ValuesInHtmlTable',
    ({dom}) => <dom.ValuesInHtmlTable />,
    '<thead><tr><th>Id</th><th>Value</th></tr></thead><tbody><tr><th title="open">open</th><td>true</td></tr>',
  ],
  [
    'ValuesInHtmlTable with className, no header, no ids',
    ({dom}) => <dom.ValuesInHtmlTable className="v" headerRow={false} idColumn={false} />,
    '<table class="v"><tbody><tr><td>true</td></tr>',
  ],
  [
    'ValuesInHtmlTable editable',
    ({dom}) => <dom.ValuesInHtmlTable editable />,
    '<div class="editableValue"><button title="boolean" class="boolean">boolean</button><input type="checkbox" checked=""/>',
  ],
  [
    'ValuesInHtmlTable with a custom component, props and extra cells',
    ({dom}) => (
      <dom.ValuesInHtmlTable
        editable
        valueComponent={PropsValue}
        getValueComponentProps={(valueId) => ({valueId: 'ignored', size: valueId.length})}
        extraCellsBefore={[{label: 'B', component: PropsValue}]}
        extraCellsAfter={[{label: 'A', component: PropsValue}]}
      />
    ),
    '<th class="extra">B</th><th>Id</th><th>Value</th><th class="extra">A</th>',
  ],
  [
    'ValuesInHtmlTable from a named store',
    ({dom}) => <dom.ValuesInHtmlTable store="named" valueComponent={PropsValue} />,
    'store&quot;:&quot;string',
  ],
  [
    'ValuesInHtmlTable from an explicit store',
    ({dom, store}) => <dom.ValuesInHtmlTable store={store} />,
    '<td>3</td>',
  ],
  // The editors
  ...(['species', 'legs', 'sold', 'tags', 'meta', 'price', 'missing'] as const).map(
    (cellId): Case => [
      `EditableCellView of ${cellId}`,
      ({dom}) => <dom.EditableCellView tableId="pets" rowId="fido" cellId={cellId} />,
      '<div class="editableCell">',
    ],
  ),
  [
    'EditableCellView of a true boolean',
    ({dom}) => <dom.EditableCellView tableId="pets" rowId="cujo" cellId="sold" />,
    '<input type="checkbox" checked=""/>',
  ],
  [
    'EditableCellView with className, no type',
    ({dom}) => (
      <dom.EditableCellView
        tableId="pets"
        rowId="fido"
        cellId="legs"
        className="c"
        showType={false}
      />
    ),
    '<div class="c"><input type="number" value="4"/></div>',
  ],
  [
    'EditableCellView with debugIds, named store',
    ({dom}) => (
      <dom.EditableCellView tableId="pets" rowId="fido" cellId="species" store="named" debugIds />
    ),
    '<input value="dog"/>',
  ],
  ...(['open', 'employees', 'motto', 'list', 'shape', 'none', 'nil', 'missing'] as const).map(
    (valueId): Case => [
      `EditableValueView of ${valueId}`,
      ({dom}) => <dom.EditableValueView valueId={valueId} />,
      '<div class="editableValue">',
    ],
  ),
  [
    'EditableValueView with className, no type',
    ({dom}) => <dom.EditableValueView valueId="list" className="v" showType={false} />,
    '<div class="v"><input class="" value="[1,&quot;two&quot;]"/></div>',
  ],
  // SortedTablePaginator on its own
  ...(
    [
      [5, 2, 0],
      [5, 2, 2],
      [5, 2, 4],
      [5, 2, 1],
      [5, 2, 3],
      [4, 2, 2],
      [5, 2, 5],
      [5, 2, 9],
      [5, 2, -2],
      [5, 2, undefined],
      [5, undefined, 3],
      [5, 10, 0],
      [5, 5, 0],
      [1, 1, 0],
      [2, 1, 1],
      [0, 2, 0],
      [5, 0, 0],
    ] as const
  ).map(
    ([total, limit, offset]): Case => [
      `SortedTablePaginator total ${total}, limit ${limit}, offset ${offset}`,
      ({dom}) => (
        <dom.SortedTablePaginator onChange={() => {}} total={total} limit={limit} offset={offset} />
      ),
      ' row',
    ],
  ),
  [
    'SortedTablePaginator singular',
    ({dom}) => (
      <dom.SortedTablePaginator onChange={() => {}} total={1} singular="mouse" plural="mice" />
    ),
    '1 mouse',
  ],
  [
    'SortedTablePaginator plural',
    ({dom}) => (
      <dom.SortedTablePaginator
        onChange={() => {}}
        total={7}
        limit={3}
        offset={3}
        singular="mouse"
        plural="mice"
      />
    ),
    '4 to 6 of 7 mice',
  ],
  [
    'SortedTablePaginator default plural',
    ({dom}) => <dom.SortedTablePaginator onChange={() => {}} total={2} singular="pet" />,
    '2 pets',
  ],
];

describe('react-dom renders the HTML TinyBase ui-react-dom renders', () => {
  test.each(cases)('%s', (_name, tree, expectedInTinyBase) => {
    const {ours, theirs} = renderStatic(content, tree);
    expect(theirs).toContain(expectedInTinyBase);
    expect(ours).toBe(theirs);
  });
});
