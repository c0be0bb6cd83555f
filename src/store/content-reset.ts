// setMergeableContent replaces everything: the stamps are first cleared (which, for the plain
// content and its listeners, deletes everything, as TinyBase's delTables() does), the content is
// merged over them, and what the content does not hold is then dropped. The tree ends up as a new
// store that loaded the content would have it: same leaves, in the content's order (stamps and
// plain content alike), hashes computed afresh.
import type {EncodedCellOrValue} from './cell.js';
import type {TransactionLog} from './transaction-log.js';
import type {LeafContainer, TablesNode} from './tree.js';
import type {Id, Ids} from './types.js';

export type ContentResetContext = {
  tables: TablesNode;
  values: LeafContainer;
  log: TransactionLog;
  /** Writes a leaf, keeping counts, order and hashes, and logs the write. */
  write: (
    container: LeafContainer,
    id: Id,
    value: EncodedCellOrValue | undefined,
    hlc: string,
  ) => void;
};

/**
 * Makes every leaf "absent" (undefined, no time), which any incoming stamp overwrites. Live leaves
 * go first, in plain order, as TinyBase's delTables() and delValues() delete them; tombstones after.
 */
export const clearAllStamps = ({tables, values, write}: ContentResetContext): void => {
  // The stamp order of every container is saved before anything changes, so that a rollback
  // puts each container and leaf back where it was.
  tables.saveStampOrder();
  for (const table of tables.children.values()) {
    table.saveStampOrder();
    for (const row of table.children.values()) {
      row.saveStampOrder();
    }
  }
  values.saveStampOrder();
  const live: [LeafContainer, Ids][] = [];
  for (const table of tables.liveChildren()) {
    for (const row of table.liveChildren()) {
      live.push([row, row.getLiveIds()]);
    }
  }
  live.push([values, values.getLiveIds()]);
  for (const [container, ids] of live) {
    for (const id of ids) {
      write(container, id, undefined, '');
    }
  }
  const clearTombstones = (container: LeafContainer) =>
    container.forEachLeaf((id, _value, hlc) => {
      if (hlc !== '') {
        write(container, id, undefined, '');
      }
    });
  for (const table of tables.children.values()) {
    for (const row of table.children.values()) {
      clearTombstones(row);
    }
  }
  clearTombstones(values);
};

type Stamps = [Record<Id, Stamps>];

/**
 * After merging content over cleared stamps: drops what the content does not hold (rows and
 * tables are logged, to come back if the transaction rolls back), puts the rest in the content's
 * order and recomputes every hash.
 */
export const keepOnlyContent = (context: ContentResetContext, content: unknown[]): void => {
  const {tables, values, log} = context;
  const [[tablesThing], [valuesThing]] = content as [Stamps, Stamps];
  const detach = <Child extends {id: Id}>(children: Map<Id, Child>, child: Child): void => {
    children.delete(child.id);
    log.detached.push({children: children as Map<Id, unknown>, child});
  };
  for (const table of [...tables.children.values()]) {
    const rowsThing = Object.hasOwn(tablesThing, table.id) ? tablesThing[table.id][0] : {};
    for (const row of [...table.children.values()]) {
      removeAbsentLeaves(row);
      if (!Object.hasOwn(rowsThing, row.id)) {
        detach(table.children, row);
      }
    }
    if (!Object.hasOwn(tablesThing, table.id)) {
      detach(tables.children, table);
    }
  }
  removeAbsentLeaves(values);
  tables.putInOrder(Object.keys(tablesThing));
  for (const tableId of Object.keys(tablesThing)) {
    const table = tables.children.get(tableId)!;
    const rowsThing = tablesThing[tableId][0];
    table.putInOrder(Object.keys(rowsThing));
    for (const rowId of Object.keys(rowsThing)) {
      table.children.get(rowId)!.putInOrder(Object.keys(rowsThing[rowId][0]));
    }
  }
  values.putInOrder(Object.keys(valuesThing));
  tables.resetHashes();
  values.resetHashes();
};

const removeAbsentLeaves = (container: LeafContainer): void => {
  const absent: string[] = [];
  container.forEachLeaf((id, value, hlc) => {
    if (value === undefined && hlc === '') {
      absent.push(id);
    }
  });
  for (const id of absent) {
    container.remove(container.find(id));
  }
};
