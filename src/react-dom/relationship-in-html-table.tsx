// RelationshipInHtmlTable: the rows of a relationship's local table as an HTML <table>, each next
// to the remote row it links to: columns `local.Id` and `remote.Id`, then the cells of both tables
// named `tableId.cellId` (or the customCells given by those names), as TinyBase's shows them.
import {memo, type ReactNode, useMemo} from 'react';
import type {RelationshipsOrRelationshipsId} from '../react/context.js';
import {useRelationshipsOrRelationshipsById} from '../react/context.js';
import {useRemoteRowId} from '../react/derived-hooks.js';
import {useRowIds, useTableCellIds} from '../react/store-hooks.js';
import {CellView} from '../react/views.js';
import type {Relationships} from '../relationships/types.js';
import type {Id, MergeableStore} from '../store/types.js';
import {EditableCellView} from './editable-views.js';
import {type Column, extraCells, extraHeaders, HtmlTableShell} from './html-table.js';
import type {CustomCell, ExtraRowCell, HtmlTableProps, TableInHtmlTableProps} from './types.js';

/** TableInHtmlTable's props, with the relationship for the table and columns by `tableId.cellId`. */
export type RelationshipInHtmlTableProps = Omit<TableInHtmlTableProps, 'tableId' | 'store'> & {
  readonly relationshipId: Id;
  readonly relationships?: RelationshipsOrRelationshipsId;
};

/** A column of either table: which one (by its id), and the cell it shows. */
type LinkedColumn = Column & {readonly tableId: Id; readonly name: Id};

/** `tableId.cellId` split at its first dot. */
const splitName = (name: Id): [tableId: Id, cellId: Id] => {
  const dot = name.indexOf('.');
  return dot < 0 ? [name, ''] : [name.slice(0, dot), name.slice(dot + 1)];
};

function useLinkedColumns(
  localTableId: Id,
  remoteTableId: Id,
  store: MergeableStore | undefined,
  {editable, customCells}: RelationshipInHtmlTableProps,
): LinkedColumn[] {
  const localCellIds = useTableCellIds(localTableId, store);
  const remoteCellIds = useTableCellIds(remoteTableId, store);
  return useMemo(() => {
    const defaultComponent = editable ? EditableCellView : CellView;
    const entries: [Id, string | CustomCell][] =
      customCells === undefined || Array.isArray(customCells)
        ? (
            customCells ?? [
              ...localCellIds.map((cellId) => `${localTableId}.${cellId}`),
              ...remoteCellIds.map((cellId) => `${remoteTableId}.${cellId}`),
            ]
          ).map((name) => [name, name])
        : Object.entries(customCells);
    return entries.map(([name, custom]) => {
      const [tableId, cellId] = splitName(name);
      const {
        label = name,
        component = defaultComponent,
        getComponentProps,
      } = typeof custom === 'string' ? {label: custom} : custom;
      return {tableId, cellId, name, label, component, getComponentProps};
    });
  }, [customCells, editable, localCellIds, remoteCellIds, localTableId, remoteTableId]);
}

type LinkedRowProps = {
  readonly relationships: Relationships | undefined;
  readonly relationshipId: Id;
  readonly localTableId: Id;
  readonly localRowId: Id;
  readonly store: MergeableStore | undefined;
  readonly columns: readonly LinkedColumn[];
  readonly idColumn: boolean;
  readonly extraCellsBefore?: ExtraRowCell[];
  readonly extraCellsAfter?: ExtraRowCell[];
};

/** One local row and the remote row it links to, re-rendering when that link changes. */
const LinkedRow = memo(function LinkedRow({
  relationships,
  relationshipId,
  localTableId,
  localRowId,
  store,
  columns,
  idColumn,
  extraCellsBefore,
  extraCellsAfter,
}: LinkedRowProps): ReactNode {
  const remoteRowId = useRemoteRowId(relationshipId, localRowId, relationships);
  const rowProps = {tableId: localTableId, rowId: localRowId, store};
  return (
    <tr>
      {extraCells(extraCellsBefore, rowProps)}
      {idColumn ? (
        <>
          <th title={localRowId}>{localRowId}</th>
          <th title={remoteRowId}>{remoteRowId}</th>
        </>
      ) : null}
      {columns.map(({tableId, cellId, name, component: Cell, getComponentProps}) => {
        const rowId = tableId === localTableId ? localRowId : remoteRowId;
        // A local row that links nowhere has no remote cells at all, as in TinyBase.
        if (rowId === undefined) {
          return null;
        }
        return (
          <td key={name}>
            <Cell
              {...getComponentProps?.(rowId, cellId)}
              tableId={tableId}
              rowId={rowId}
              cellId={cellId}
              store={store}
            />
          </td>
        );
      })}
      {extraCells(extraCellsAfter, rowProps)}
    </tr>
  );
});

/**
 * A relationship as a `<table>`: a row per local row, with the remote row it links to.
 *
 * @example
 * <RelationshipInHtmlTable relationshipId="petSpecies" relationships={relationships} />
 */
export function RelationshipInHtmlTable(
  props: RelationshipInHtmlTableProps & HtmlTableProps,
): ReactNode {
  const {relationshipId, idColumn = true, extraCellsBefore, extraCellsAfter} = props;
  const relationships = useRelationshipsOrRelationshipsById(props.relationships);
  const store = relationships?.getStore() as MergeableStore | undefined;
  const localTableId = relationships?.getLocalTableId(relationshipId) ?? '';
  const remoteTableId = relationships?.getRemoteTableId(relationshipId) ?? '';
  const columns = useLinkedColumns(localTableId, remoteTableId, store, props);
  const localRowIds = useRowIds(localTableId, store);
  return (
    <HtmlTableShell
      className={props.className}
      headerRow={props.headerRow}
      headers={
        <>
          {extraHeaders(extraCellsBefore)}
          {idColumn ? (
            <>
              <th>{localTableId}.Id</th>
              <th>{remoteTableId}.Id</th>
            </>
          ) : null}
          {columns.map(({name, label}) => (
            <th key={name}>{label}</th>
          ))}
          {extraHeaders(extraCellsAfter)}
        </>
      }
    >
      {localRowIds.map((localRowId) => (
        <LinkedRow
          key={localRowId}
          relationships={relationships}
          relationshipId={relationshipId}
          localTableId={localTableId}
          localRowId={localRowId}
          store={store}
          columns={columns}
          idColumn={idColumn}
          extraCellsBefore={extraCellsBefore}
          extraCellsAfter={extraCellsAfter}
        />
      ))}
    </HtmlTableShell>
  );
}
