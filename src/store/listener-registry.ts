// Registered listeners, indexed by kind and by id path so that a change to (table, row, cell)
// finds its listeners with a few map lookups. A `null` id in a path is a wildcard.
import type {Id, Ids, StoreListenerStats} from './types.js';

export type ListenerKind =
  | keyof StoreListenerStats
  | 'startTransaction'
  | 'willFinishTransaction'
  | 'didFinishTransaction';

export type ListenerRecord = {
  id: Id;
  kind: ListenerKind;
  path: (Id | null)[];
  // biome-ignore lint/suspicious/noExplicitAny: each kind has its own listener signature.
  listener: (...args: any[]) => void;
  mutator: boolean;
  /** For sorted row id listeners: the sort arguments and the ids last reported. */
  sort?: {cellId: Id | undefined; descending: boolean; offset: number; limit: number | undefined};
  lastSortedRowIds?: Ids;
};

const isTransactionKind = (kind: ListenerKind): boolean =>
  kind === 'startTransaction' ||
  kind === 'willFinishTransaction' ||
  kind === 'didFinishTransaction';

const WILDCARD = Symbol('wildcard');
type PathNode = {children: Map<Id | typeof WILDCARD, PathNode>; records: Set<ListenerRecord>};
const newPathNode = (): PathNode => ({children: new Map(), records: new Set()});

export class ListenerRegistry {
  private readonly roots = new Map<ListenerKind, PathNode>();
  private readonly byId = new Map<Id, ListenerRecord>();
  private readonly counts = new Map<ListenerKind, number>();
  private nextId = 0;
  /** Listeners on data (all kinds but the transaction ones): none means nothing to notify. */
  private dataListenerCount = 0;

  add(record: Omit<ListenerRecord, 'id'>): Id {
    const id = String(this.nextId++);
    const full: ListenerRecord = {...record, id};
    let node: PathNode | undefined = this.roots.get(record.kind);
    if (!node) {
      node = newPathNode();
      this.roots.set(record.kind, node);
    }
    for (const step of record.path) {
      const key = step ?? WILDCARD;
      let child: PathNode | undefined = node.children.get(key);
      if (!child) {
        child = newPathNode();
        node.children.set(key, child);
      }
      node = child;
    }
    node.records.add(full);
    this.byId.set(id, full);
    this.counts.set(record.kind, (this.counts.get(record.kind) ?? 0) + 1);
    this.dataListenerCount += isTransactionKind(record.kind) ? 0 : 1;
    return id;
  }

  get(id: Id): ListenerRecord | undefined {
    return this.byId.get(id);
  }

  delete(id: Id): void {
    const record = this.byId.get(id);
    if (!record) {
      return;
    }
    this.byId.delete(id);
    this.counts.set(record.kind, (this.counts.get(record.kind) ?? 1) - 1);
    this.dataListenerCount -= isTransactionKind(record.kind) ? 0 : 1;
    let node = this.roots.get(record.kind);
    for (const step of record.path) {
      node = node?.children.get(step ?? WILDCARD);
    }
    node?.records.delete(record);
  }

  hasDataListeners(): boolean {
    return this.dataListenerCount > 0;
  }

  has(kind: ListenerKind): boolean {
    return (this.counts.get(kind) ?? 0) > 0;
  }

  /** All records of a kind, whatever their path (used for sorted row ids). */
  all(kind: ListenerKind): ListenerRecord[] {
    return [...this.byId.values()].filter((record) => record.kind === kind);
  }

  /** Calls `visit` for every record of `kind` whose path matches `ids`, exactly or by wildcard. */
  forEachMatch(kind: ListenerKind, ids: Id[], visit: (record: ListenerRecord) => void): void {
    const root = this.roots.get(kind);
    if (root) {
      visitMatches(root, ids, 0, visit);
    }
  }

  stats(): StoreListenerStats {
    const count = (kind: ListenerKind) => this.counts.get(kind) ?? 0;
    return {
      hasTables: count('hasTables'),
      tables: count('tables'),
      tableIds: count('tableIds'),
      hasTable: count('hasTable'),
      table: count('table'),
      tableCellIds: count('tableCellIds'),
      hasTableCell: count('hasTableCell'),
      rowCount: count('rowCount'),
      rowIds: count('rowIds'),
      sortedRowIds: count('sortedRowIds'),
      hasRow: count('hasRow'),
      row: count('row'),
      cellIds: count('cellIds'),
      hasCell: count('hasCell'),
      cell: count('cell'),
      hasValues: count('hasValues'),
      values: count('values'),
      valueIds: count('valueIds'),
      hasValue: count('hasValue'),
      value: count('value'),
      transaction:
        count('startTransaction') + count('willFinishTransaction') + count('didFinishTransaction'),
    };
  }
}

const visitMatches = (
  node: PathNode,
  ids: Id[],
  depth: number,
  visit: (record: ListenerRecord) => void,
): void => {
  if (depth === ids.length) {
    for (const record of node.records) {
      visit(record);
    }
    return;
  }
  const exact = node.children.get(ids[depth]);
  if (exact) {
    visitMatches(exact, ids, depth + 1, visit);
  }
  const wildcard = node.children.get(WILDCARD);
  if (wildcard) {
    visitMatches(wildcard, ids, depth + 1, visit);
  }
};
