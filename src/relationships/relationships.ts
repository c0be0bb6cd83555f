// createRelationships: TinyBase's relationships over a store. Each relationship keeps, both ways,
// which remote row each local row links to. A definition watches its local table
// (table-watch.ts): the rows a transaction changed, local or merged from a peer, are linked again,
// and the listeners hear which local rows changed link, which remote rows gained or lost local
// rows, and which watched linked lists changed.
import {Definitions, toId} from '../derived/definitions.js';
import {DerivedListeners} from '../derived/derived-listeners.js';
import {rowCellReader, type TableWatch, watchTable} from '../derived/table-watch.js';
import type {GetCell} from '../indexes/types.js';
import type {Id, Ids, Store} from '../store/types.js';
import type {Relationships} from './types.js';

type ListenerKind = 'relationshipIds' | 'remoteRowId' | 'localRowIds' | 'linkedRowIds';

type RelationshipDefinition = TableWatch & {
  localTableId: Id;
  remoteTableId: Id;
  remoteRowIds: Map<Id, Id>;
  localRowIds: Map<Id, Ids>;
};

/**
 * The linked list from a row: each next row is the one the last links to, until none or a loop.
 * Only a relationship within one table makes lists; any other gives just the first row.
 */
const linkedRowIdsOf = (definition: RelationshipDefinition | undefined, firstRowId: Id): Ids => {
  const rowIds = [firstRowId];
  if (definition === undefined || definition.localTableId !== definition.remoteTableId) {
    return rowIds;
  }
  const {remoteRowIds} = definition;
  const seen = new Set(rowIds);
  let next = remoteRowIds.get(firstRowId);
  while (next !== undefined && !seen.has(next)) {
    rowIds.push(next);
    seen.add(next);
    next = remoteRowIds.get(next);
  }
  return rowIds;
};

const sameIds = (ids1: Ids, ids2: Ids): boolean =>
  ids1.length === ids2.length && ids1.every((id, index) => id === ids2[index]);

/**
 * A Relationships object over a Store or MergeableStore, with no relationship defined yet.
 *
 * @example
 * const relationships = createRelationships(store);
 * relationships.setRelationshipDefinition('petSpecies', 'pets', 'species', 'species');
 * relationships.getRemoteRowId('petSpecies', 'fido'); // 'dog'
 * relationships.getLocalRowIds('petSpecies', 'dog'); // ['fido', 'cujo']
 */
export const createRelationships = (store: Store): Relationships => {
  const listeners = new DerivedListeners<ListenerKind>();
  const definitions = new Definitions<RelationshipDefinition>();

  /** The watched linked lists of a relationship, as they are now. */
  const watchedLinkedLists = (relationshipId: Id): Map<Id, Ids> => {
    const lists = new Map<Id, Ids>();
    for (const [watchedId, firstRowId] of listeners.exactPaths('linkedRowIds')) {
      if (watchedId === relationshipId && !lists.has(firstRowId)) {
        lists.set(firstRowId, linkedRowIdsOf(definitions.get(relationshipId), firstRowId));
      }
    }
    return lists;
  };

  /** Calls the listeners of what a change did, given the state of the changed parts before it. */
  const callChanges = (
    relationshipId: Id,
    remoteRowIdsBefore: Map<Id, Id | undefined>,
    localRowIdsBefore: Map<Id, Ids>,
    linkedListsBefore: Map<Id, Ids>,
  ) => {
    const definition = definitions.get(relationshipId);
    for (const [localRowId, remoteRowId] of remoteRowIdsBefore) {
      if (definition?.remoteRowIds.get(localRowId) !== remoteRowId) {
        listeners.call(
          'remoteRowId',
          [relationshipId, localRowId],
          [relationships, relationshipId, localRowId],
        );
      }
    }
    for (const [remoteRowId, localRowIds] of localRowIdsBefore) {
      if (!sameIds(localRowIds, definition?.localRowIds.get(remoteRowId) ?? [])) {
        listeners.call(
          'localRowIds',
          [relationshipId, remoteRowId],
          [relationships, relationshipId, remoteRowId],
        );
      }
    }
    // A list is heard when one of its rows changed link, even when it ends up the same (a row
    // that comes to link to itself), in the order of the changed rows, as TinyBase does.
    const heard = new Set<Id>();
    for (const changedRowId of remoteRowIdsBefore.keys()) {
      for (const [firstRowId, linkedRowIds] of linkedListsBefore) {
        if (heard.has(firstRowId) || !linkedRowIds.includes(changedRowId)) {
          continue;
        }
        heard.add(firstRowId);
        listeners.call(
          'linkedRowIds',
          [relationshipId, firstRowId],
          [relationships, relationshipId, firstRowId],
        );
      }
    }
  };

  const setRelationshipDefinition: Relationships['setRelationshipDefinition'] = (
    relationshipId,
    localTableId,
    remoteTableId,
    getRemoteRowId,
  ) => {
    const remoteRowIdOf: (getCell: GetCell, localRowId: Id) => unknown =
      typeof getRemoteRowId === 'function' ? getRemoteRowId : (getCell) => getCell(getRemoteRowId);
    // A definition that replaces another takes over its links, and its first update links every
    // row again from there, so listeners hear what differs, as in TinyBase.
    const replaced = definitions.get(relationshipId);
    const remoteRowIds = replaced?.remoteRowIds ?? new Map<Id, Id>();
    const localRowIds = replaced?.localRowIds ?? new Map<Id, Ids>();

    /** Links the changed rows again; fills in what each changed part was before. */
    const update = (
      changedRowIds: Iterable<Id>,
      remoteRowIdsBefore: Map<Id, Id | undefined>,
      localRowIdsBefore: Map<Id, Ids>,
    ) => {
      const touchRemote = (remoteRowId: Id): Ids => {
        let rowIds = localRowIds.get(remoteRowId);
        if (!localRowIdsBefore.has(remoteRowId)) {
          localRowIdsBefore.set(remoteRowId, [...(rowIds ?? [])]);
        }
        if (rowIds === undefined) {
          rowIds = [];
          localRowIds.set(remoteRowId, rowIds);
        }
        return rowIds;
      };
      for (const localRowId of changedRowIds) {
        const oldRemoteRowId = remoteRowIds.get(localRowId);
        const newRemoteRowId = store.hasRow(localTableId, localRowId)
          ? toId(remoteRowIdOf(rowCellReader(store, localTableId, localRowId), localRowId))
          : undefined;
        if (newRemoteRowId === oldRemoteRowId) {
          continue;
        }
        if (!remoteRowIdsBefore.has(localRowId)) {
          remoteRowIdsBefore.set(localRowId, oldRemoteRowId);
        }
        if (oldRemoteRowId !== undefined) {
          const rowIds = touchRemote(oldRemoteRowId);
          rowIds.splice(rowIds.indexOf(localRowId), 1);
          if (rowIds.length === 0) {
            localRowIds.delete(oldRemoteRowId);
          }
        }
        if (newRemoteRowId === undefined) {
          remoteRowIds.delete(localRowId);
        } else {
          remoteRowIds.set(localRowId, newRemoteRowId);
          touchRemote(newRemoteRowId).push(localRowId);
        }
      }
    };

    const process = (changedRowIds: Iterable<Id>) => {
      const linkedListsBefore = watchedLinkedLists(relationshipId);
      const remoteRowIdsBefore = new Map<Id, Id | undefined>();
      const localRowIdsBefore = new Map<Id, Ids>();
      update(changedRowIds, remoteRowIdsBefore, localRowIdsBefore);
      callChanges(relationshipId, remoteRowIdsBefore, localRowIdsBefore, linkedListsBefore);
    };
    const watch = watchTable(store, localTableId, process);
    const definition: RelationshipDefinition = {
      localTableId,
      remoteTableId,
      remoteRowIds,
      localRowIds,
      stop: watch.stop,
    };
    // Unlike indexes' and metrics', as in TinyBase: a definition that replaces another is not heard.
    if (definitions.set(relationshipId, definition)) {
      listeners.call('relationshipIds', [], [relationships]);
    }
    // The rows the old definition linked first, then the rest of the local table's, as TinyBase.
    process(new Set([...remoteRowIds.keys(), ...store.getRowIds(localTableId)]));
    return relationships;
  };

  const delRelationshipDefinition = (relationshipId: Id): Relationships => {
    definitions.delete(relationshipId);
    // As in TinyBase, the ids listeners hear every deletion, even of an id never defined, and the
    // row listeners hear none.
    listeners.call('relationshipIds', [], [relationships]);
    return relationships;
  };

  const relationships: Relationships = {
    setRelationshipDefinition,
    delRelationshipDefinition,
    getStore: () => store,
    getRelationshipIds: () => definitions.ids(),
    forEachRelationship: (relationshipCallback) => {
      for (const [relationshipId, definition] of definitions.entries()) {
        relationshipCallback(relationshipId, (rowCallback) => {
          for (const [localRowId] of definition.remoteRowIds) {
            rowCallback(localRowId, (cellCallback) =>
              store.forEachCell(definition.localTableId, localRowId, cellCallback),
            );
          }
        });
      }
    },
    hasRelationship: (relationshipId) => definitions.has(relationshipId),
    getLocalTableId: (relationshipId) => definitions.get(relationshipId)?.localTableId,
    getRemoteTableId: (relationshipId) => definitions.get(relationshipId)?.remoteTableId,
    getRemoteRowId: (relationshipId, localRowId) =>
      definitions.get(relationshipId)?.remoteRowIds.get(localRowId),
    getLocalRowIds: (relationshipId, remoteRowId) => [
      ...(definitions.get(relationshipId)?.localRowIds.get(remoteRowId) ?? []),
    ],
    getLinkedRowIds: (relationshipId, firstRowId) =>
      linkedRowIdsOf(definitions.get(relationshipId), firstRowId),
    addRelationshipIdsListener: (listener) => listeners.add('relationshipIds', [], listener),
    addRemoteRowIdListener: (relationshipId, localRowId, listener) =>
      listeners.add('remoteRowId', [relationshipId, localRowId], listener),
    addLocalRowIdsListener: (relationshipId, remoteRowId, listener) =>
      listeners.add('localRowIds', [relationshipId, remoteRowId], listener),
    addLinkedRowIdsListener: (relationshipId, firstRowId, listener) =>
      listeners.add('linkedRowIds', [relationshipId, firstRowId], listener),
    delListener: (listenerId) => {
      listeners.delete(listenerId);
      return relationships;
    },
    destroy: () => {
      for (const relationshipId of definitions.ids()) {
        delRelationshipDefinition(relationshipId);
      }
    },
    getListenerStats: () => ({
      remoteRowId: listeners.count('remoteRowId'),
      localRowIds: listeners.count('localRowIds'),
      linkedRowIds: listeners.count('linkedRowIds'),
    }),
  };
  return relationships;
};
