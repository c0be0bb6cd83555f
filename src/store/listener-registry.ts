// Registered listeners, indexed by kind and by id path so that a change to (table, row, cell)
// finds its listeners with a few map lookups. A `null` id in a path is a wildcard; `undefined`
// stands for "no id" (a sorted row id listener that sorts by row id rather than by a cell).
//
// Orders follow TinyBase: for one path, exact ids before wildcards, level by level; at one node,
// listeners in the order they were added; nodes left empty are pruned, so a node made again goes
// last. Listener ids come from an IdPool, as in TinyBase.
import {IdPool} from './id-pool.js';
import type {Id, Ids, Sorter, StoreListenerStats} from './types.js';

export type ListenerKind =
  | keyof StoreListenerStats
  | 'startTransaction'
  | 'willFinishTransaction'
  | 'didFinishTransaction';

export type ListenerRecord = {
  id: Id;
  kind: ListenerKind;
  path: (Id | null | undefined)[];
  // biome-ignore lint/suspicious/noExplicitAny: each kind has its own listener signature.
  listener: (...args: any[]) => void;
  mutator: boolean;
  /** For sorted row id listeners: the sort arguments and the ids last reported. */
  sort?: {
    cellId: Id | undefined;
    descending: boolean;
    offset: number;
    limit: number | undefined;
    /** A custom sorter from the object form; undefined for the default one. */
    sorter: Sorter | undefined;
  };
  lastSortedRowIds?: Ids;
};

const isTransactionKind = (kind: ListenerKind): boolean =>
  kind === 'startTransaction' ||
  kind === 'willFinishTransaction' ||
  kind === 'didFinishTransaction';

const WILDCARD = Symbol('any id');
const NO_ID = Symbol('no id');
type PathKey = Id | typeof WILDCARD | typeof NO_ID;
const toPathKey = (step: Id | null | undefined): PathKey =>
  step === null ? WILDCARD : step === undefined ? NO_ID : step;

type PathNode = {children: Map<PathKey, PathNode>; records: Set<ListenerRecord>};
const newPathNode = (): PathNode => ({children: new Map(), records: new Set()});

export class ListenerRegistry {
  private readonly roots = new Map<ListenerKind, PathNode>();
  private readonly byId = new Map<Id, ListenerRecord>();
  /** Listeners per kind: [non-mutators, mutators]. */
  private readonly counts = new Map<ListenerKind, [number, number]>();
  private readonly ids = new IdPool();
  /** Listeners on data (all kinds but the transaction ones): [non-mutators, mutators]. */
  private readonly dataListenerCounts: [number, number] = [0, 0];

  add(record: Omit<ListenerRecord, 'id'>): Id {
    const id = this.ids.take();
    const full: ListenerRecord = {...record, id};
    let node: PathNode | undefined = this.roots.get(record.kind);
    if (!node) {
      node = newPathNode();
      this.roots.set(record.kind, node);
    }
    for (const step of record.path) {
      const key = toPathKey(step);
      let child: PathNode | undefined = node.children.get(key);
      if (!child) {
        child = newPathNode();
        node.children.set(key, child);
      }
      node = child;
    }
    node.records.add(full);
    this.byId.set(id, full);
    this.count(full, 1);
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
    this.count(record, -1);
    const root = this.roots.get(record.kind);
    if (root && removeRecord(root, record, 0)) {
      this.roots.delete(record.kind);
    }
    this.ids.release(id);
  }

  private count(record: ListenerRecord, delta: 1 | -1): void {
    const counts = this.counts.get(record.kind) ?? [0, 0];
    counts[record.mutator ? 1 : 0] += delta;
    this.counts.set(record.kind, counts);
    if (!isTransactionKind(record.kind)) {
      this.dataListenerCounts[record.mutator ? 1 : 0] += delta;
    }
  }

  /** Whether any listener on data (not transactions) is registered for the phase. */
  hasDataListeners(mutator: boolean): boolean {
    return this.dataListenerCounts[mutator ? 1 : 0] > 0;
  }

  /** Whether any listener of the kind is registered (of either phase, or of the given one). */
  has(kind: ListenerKind, mutator?: boolean): boolean {
    const counts = this.counts.get(kind);
    if (counts === undefined) {
      return false;
    }
    return mutator === undefined ? counts[0] + counts[1] > 0 : counts[mutator ? 1 : 0] > 0;
  }

  /** Calls `visit` for every record of `kind` whose path matches `ids`, exactly or by wildcard. */
  forEachMatch(kind: ListenerKind, ids: Id[], visit: (record: ListenerRecord) => void): void {
    const root = this.roots.get(kind);
    if (root) {
      visitMatches(root, ids, 0, visit);
    }
  }

  /** Calls `visit` for every record of `kind` whose path starts with `ids`, whatever follows. */
  forEachUnder(kind: ListenerKind, ids: Id[], visit: (record: ListenerRecord) => void): void {
    let node = this.roots.get(kind);
    for (const id of ids) {
      node = node?.children.get(id);
    }
    if (node) {
      visitAll(node, visit);
    }
  }

  stats(): StoreListenerStats {
    const count = (kind: ListenerKind) => {
      const counts = this.counts.get(kind);
      return counts ? counts[0] + counts[1] : 0;
    };
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
      invalidCell: count('invalidCell'),
      hasValues: count('hasValues'),
      values: count('values'),
      valueIds: count('valueIds'),
      hasValue: count('hasValue'),
      value: count('value'),
      invalidValue: count('invalidValue'),
      transaction:
        count('startTransaction') + count('willFinishTransaction') + count('didFinishTransaction'),
    };
  }
}

/** Removes a record from the subtree; returns true when the node is left empty (to prune it). */
const removeRecord = (node: PathNode, record: ListenerRecord, depth: number): boolean => {
  if (depth === record.path.length) {
    node.records.delete(record);
  } else {
    const key = toPathKey(record.path[depth]);
    const child = node.children.get(key);
    if (child && removeRecord(child, record, depth + 1)) {
      node.children.delete(key);
    }
  }
  return node.records.size === 0 && node.children.size === 0;
};

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

const visitAll = (node: PathNode, visit: (record: ListenerRecord) => void): void => {
  for (const record of node.records) {
    visit(record);
  }
  for (const child of node.children.values()) {
    visitAll(child, visit);
  }
};
