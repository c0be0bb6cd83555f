// Public types of Relationships. Names and shapes follow TinyBase 10's, so that code written for
// TinyBase's relationships type-checks against syncstore unchanged.
import type {GetCell} from '../indexes/types.js';
import type {Id, IdOrNull, Ids, RowCallback, Store} from '../store/types.js';

/** A relationship's links, each way, and the linked lists of a relationship within one table. */
export type Relationship = {
  remoteRowId: {[localRowId: Id]: Id};
  localRowIds: {[remoteRowId: Id]: Ids};
  linkedRowIds: {[firstRowId: Id]: Ids};
};
export type RelationshipCallback = (
  relationshipId: Id,
  forEachRow: (rowCallback: RowCallback) => void,
) => void;
export type RelationshipIdsListener = (relationships: Relationships) => void;
export type RemoteRowIdListener = (
  relationships: Relationships,
  relationshipId: Id,
  localRowId: Id,
) => void;
export type LocalRowIdsListener = (
  relationships: Relationships,
  relationshipId: Id,
  remoteRowId: Id,
) => void;
export type LinkedRowIdsListener = (
  relationships: Relationships,
  relationshipId: Id,
  firstRowId: Id,
) => void;
/** How many listeners of each kind are registered. */
export type RelationshipsListenerStats = {
  remoteRowId: number;
  localRowIds: number;
  linkedRowIds: number;
};

/**
 * Relationships over a store: each links the rows of a local table to rows of a remote table (or
 * of the same table, as a linked list) by a cell of the local row, and follows every change of
 * the store.
 */
export interface Relationships {
  /**
   * Defines (or redefines) a relationship: each row of the local table links to the remote row
   * its `getRemoteRowId` cell names (or the function returns); a row without one links nowhere.
   */
  setRelationshipDefinition(
    relationshipId: Id,
    localTableId: Id,
    remoteTableId: Id,
    getRemoteRowId: Id | ((getCell: GetCell, localRowId: Id) => Id),
  ): Relationships;
  /** Removes a relationship; an unknown id is ignored. */
  delRelationshipDefinition(relationshipId: Id): Relationships;
  getStore(): Store;
  getRelationshipIds(): Ids;
  forEachRelationship(relationshipCallback: RelationshipCallback): void;
  hasRelationship(relationshipId: Id): boolean;
  getLocalTableId(relationshipId: Id): Id | undefined;
  getRemoteTableId(relationshipId: Id): Id | undefined;
  /** The remote row a local row links to, undefined when it links nowhere. */
  getRemoteRowId(relationshipId: Id, localRowId: Id): Id | undefined;
  /** The local rows that link to a remote row, in the order they came to link to it. */
  getLocalRowIds(relationshipId: Id, remoteRowId: Id): Ids;
  /**
   * A linked list within one table: the first row, the row it links to, the row that one links
   * to, and so on, until a row links nowhere or back to a row already in the list.
   */
  getLinkedRowIds(relationshipId: Id, firstRowId: Id): Ids;
  addRelationshipIdsListener(listener: RelationshipIdsListener): Id;
  /** Listens to the remote row of local rows; `null` for either id listens to every one. */
  addRemoteRowIdListener(
    relationshipId: IdOrNull,
    localRowId: IdOrNull,
    listener: RemoteRowIdListener,
  ): Id;
  /** Listens to the local rows of remote rows; `null` for either id listens to every one. */
  addLocalRowIdsListener(
    relationshipId: IdOrNull,
    remoteRowId: IdOrNull,
    listener: LocalRowIdsListener,
  ): Id;
  /** Listens to one linked list (no wildcards: a list is named by its first row). */
  addLinkedRowIdsListener(relationshipId: Id, firstRowId: Id, listener: LinkedRowIdsListener): Id;
  delListener(listenerId: Id): Relationships;
  /** Removes every definition and stops following the store. */
  destroy(): void;
  getListenerStats(): RelationshipsListenerStats;
}
