// The listeners of one derived-data object (Indexes, Metrics, Relationships): each kind is
// registered under a path of ids where `null` is a wildcard. As for the store's listeners, a
// change at a path calls the exact listeners before the wildcard ones, level by level, and at one
// path the listeners in the order they were added. Listener ids come from an IdPool, as TinyBase's.
import {IdPool} from '../store/id-pool.js';
import type {Id, IdOrNull} from '../store/types.js';

// biome-ignore lint/suspicious/noExplicitAny: each kind has its own listener signature.
type AnyListener = (...args: any[]) => void;

type PathNode = {children: Map<Id | null, PathNode>; listeners: Map<Id, AnyListener>};
const newPathNode = (): PathNode => ({children: new Map(), listeners: new Map()});

export class DerivedListeners<Kind extends string> {
  private readonly roots = new Map<Kind, PathNode>();
  private readonly byId = new Map<Id, {kind: Kind; path: IdOrNull[]}>();
  private readonly ids = new IdPool();

  add(kind: Kind, path: IdOrNull[], listener: AnyListener): Id {
    const listenerId = this.ids.take();
    let node: PathNode | undefined = this.roots.get(kind);
    if (node === undefined) {
      node = newPathNode();
      this.roots.set(kind, node);
    }
    for (const id of path) {
      let child: PathNode | undefined = node.children.get(id);
      if (child === undefined) {
        child = newPathNode();
        node.children.set(id, child);
      }
      node = child;
    }
    node.listeners.set(listenerId, listener);
    this.byId.set(listenerId, {kind, path});
    return listenerId;
  }

  delete(listenerId: Id): void {
    const entry = this.byId.get(listenerId);
    if (entry === undefined) {
      return;
    }
    this.byId.delete(listenerId);
    const root = this.roots.get(entry.kind);
    if (root !== undefined && removeListener(root, entry.path, 0, listenerId)) {
      this.roots.delete(entry.kind);
    }
    this.ids.release(listenerId);
  }

  /** Whether a listener of the kind could hear the path: lets callers skip work nobody sees. */
  has(kind: Kind): boolean {
    return this.roots.has(kind);
  }

  /** Calls every listener of the kind whose path matches `ids`, with `args`. */
  call(kind: Kind, ids: Id[], args: unknown[]): void {
    const root = this.roots.get(kind);
    if (root === undefined) {
      return;
    }
    // Collected first, so listeners may add or remove listeners while being called.
    const matched: AnyListener[] = [];
    collectMatches(root, ids, 0, matched);
    for (const listener of matched) {
      listener(...args);
    }
  }

  /** The paths registered for a kind with no wildcard (linked row ids listeners need them). */
  exactPaths(kind: Kind): Id[][] {
    const paths: Id[][] = [];
    for (const {kind: entryKind, path} of this.byId.values()) {
      if (entryKind === kind && !path.includes(null)) {
        paths.push(path as Id[]);
      }
    }
    return paths;
  }

  count(kind: Kind): number {
    let count = 0;
    for (const entry of this.byId.values()) {
      if (entry.kind === kind) {
        count++;
      }
    }
    return count;
  }
}

/** Removes a listener; true when the node is left empty, so that its parent prunes it. */
const removeListener = (node: PathNode, path: IdOrNull[], depth: number, listenerId: Id) => {
  if (depth === path.length) {
    node.listeners.delete(listenerId);
  } else {
    const child = node.children.get(path[depth]);
    if (child !== undefined && removeListener(child, path, depth + 1, listenerId)) {
      node.children.delete(path[depth]);
    }
  }
  return node.listeners.size === 0 && node.children.size === 0;
};

const collectMatches = (node: PathNode, ids: Id[], depth: number, matched: AnyListener[]) => {
  if (depth === ids.length) {
    matched.push(...node.listeners.values());
    return;
  }
  for (const key of [ids[depth], null]) {
    const child = node.children.get(key);
    if (child !== undefined) {
      collectMatches(child, ids, depth + 1, matched);
    }
  }
};
