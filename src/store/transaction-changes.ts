// The changes of a transaction as TinyBase's plain store tracks them, rebuilt from the log: which
// cells and values changed (with their value before), and which ids appeared or disappeared. Ids
// that appear and then disappear again (or the reverse) cancel out; one that comes back later
// goes to the end. Listener calls follow these orders, so they match TinyBase's call for call.
import type {EncodedCellOrValue} from './cell.js';
import {
  LEAF_FLIPPED,
  ROW_FLIPPED,
  TABLE_CELL_ID_FLIPPED,
  TABLE_FLIPPED,
  type TransactionLog,
  VALUE_CHANGED,
} from './transaction-log.js';
import type {Id} from './types.js';

export type Encoded = EncodedCellOrValue | undefined;
/** Ids that were added (1) or removed (-1), in the order TinyBase reports them. */
export type IdChanges = Map<Id, 1 | -1>;

const getOrCreate = <Key, Thing>(map: Map<Key, Thing>, key: Key, create: () => Thing): Thing => {
  let thing = map.get(key);
  if (thing === undefined) {
    thing = create();
    map.set(key, thing);
  }
  return thing;
};

const newIdChanges = (): IdChanges => new Map();
const changeId = (changes: IdChanges, id: Id, change: 1 | -1): void => {
  if (changes.get(id) === -change) {
    changes.delete(id);
  } else {
    changes.set(id, change);
  }
};

export class TransactionChanges {
  /** Changed cells by table, row and cell id, in order of first change: the value before. */
  readonly cells = new Map<Id, Map<Id, Map<Id, Encoded>>>();
  /** Changed values in order of first change: the value before. */
  readonly values = new Map<Id, Encoded>();
  readonly tableIds: IdChanges = new Map();
  readonly tableCellIds = new Map<Id, IdChanges>();
  /** Net change of the row count per table. */
  readonly rowCounts = new Map<Id, number>();
  readonly rowIds = new Map<Id, IdChanges>();
  readonly cellIds = new Map<Id, Map<Id, IdChanges>>();
  readonly valueIds: IdChanges = new Map();
  /** How much of the log has been taken in. */
  private replayed = 0;

  constructor(log: TransactionLog) {
    this.update(log);
  }

  /** Takes in the writes logged since the last update. */
  update(log: TransactionLog): void {
    for (let index = this.replayed; index < log.size; index++) {
      const effects = log.effects[index];
      if (effects & VALUE_CHANGED) {
        this.addWrite(log.containers[index], log.ids[index], log.oldValues[index], effects);
      }
    }
    this.replayed = log.size;
  }

  get isEmpty(): boolean {
    return this.cells.size === 0 && this.values.size === 0;
  }

  private addWrite(
    container: {id: Id; table: {id: Id} | null},
    id: Id,
    oldValue: Encoded,
    effects: number,
  ): void {
    const flip: 1 | -1 = oldValue === undefined ? 1 : -1;
    const flipped = (effects & LEAF_FLIPPED) !== 0;
    if (container.table === null) {
      if (!this.values.has(id)) {
        this.values.set(id, oldValue);
      }
      if (flipped) {
        changeId(this.valueIds, id, flip);
      }
      return;
    }
    const tableId = container.table.id;
    const rowId = container.id;
    const rows = getOrCreate(this.cells, tableId, () => new Map<Id, Map<Id, Encoded>>());
    const cellsOfRow = getOrCreate(rows, rowId, () => new Map<Id, Encoded>());
    if (!cellsOfRow.has(id)) {
      cellsOfRow.set(id, oldValue);
    }
    if (!flipped) {
      return;
    }
    if (effects & TABLE_FLIPPED) {
      changeId(this.tableIds, tableId, flip);
    }
    if (effects & ROW_FLIPPED) {
      changeId(getOrCreate(this.rowIds, tableId, newIdChanges), rowId, flip);
      this.rowCounts.set(tableId, (this.rowCounts.get(tableId) ?? 0) + flip);
    }
    if (effects & TABLE_CELL_ID_FLIPPED) {
      changeId(getOrCreate(this.tableCellIds, tableId, newIdChanges), id, flip);
    }
    const cellIdsOfTable = getOrCreate(this.cellIds, tableId, () => new Map<Id, IdChanges>());
    changeId(getOrCreate(cellIdsOfTable, rowId, newIdChanges), id, flip);
  }
}
