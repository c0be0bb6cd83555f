// TinyBase's checkpoints hooks: create checkpoints, read their ids and labels, listen to them, and
// callbacks to add a checkpoint and to go backward, forward or to one. Reads go through the one
// generic subscription helper (listenable.ts); the checkpoints come from context.ts's lookup.
import {type DependencyList, useCallback} from 'react';
import type {
  CheckpointIds,
  CheckpointIdsListener,
  CheckpointListener,
  Checkpoints,
} from '../checkpoints/types.js';
import type {Id, IdOrNull, MergeableStore} from '../store/types.js';
import {type CheckpointsOrCheckpointsId, useCheckpointsOrCheckpointsById} from './context.js';
import {useCreateOwned} from './create-owned.js';
import {isListenable, type Reader, useListenable, useListener} from './listenable.js';
import type {Callback, ParameterizedCallback} from './setter-hooks.js';

/**
 * `[canUndoOrRedo, undoOrRedo, checkpointId, label]`: whether one can go that way, the callback
 * that does, and the checkpoint it would leave (undo) or reach (redo) with its label.
 */
export type UndoOrRedoInformation = [boolean, Callback, Id | undefined, string];

const NO_DEPS: DependencyList = [];
const NO_CHECKPOINT_IDS: CheckpointIds = [[], undefined, []];

const checkpointIdsReader: Reader<Checkpoints, [], CheckpointIds> = {
  read: (checkpoints) => checkpoints.getCheckpointIds(),
  listen: (checkpoints, onChange) => checkpoints.addCheckpointIdsListener(onChange),
  empty: NO_CHECKPOINT_IDS,
};

const checkpointReader: Reader<Checkpoints, [Id], string | undefined> = {
  read: (checkpoints, checkpointId) => checkpoints.getCheckpoint(checkpointId),
  listen: (checkpoints, onChange, checkpointId) =>
    checkpoints.addCheckpointListener(checkpointId, onChange),
  empty: undefined,
};

/**
 * Creates checkpoints for a store, and destroys them on unmount or when the store or `createDeps`
 * change (create-owned.ts). Returns undefined in the very first render.
 */
export function useCreateCheckpoints(
  store: MergeableStore | undefined,
  create: (store: MergeableStore) => Checkpoints,
  createDeps: DependencyList = NO_DEPS,
): Checkpoints | undefined {
  return useCreateOwned(store, create, createDeps);
}

/** The checkpoint ids, `[backwardIds, currentId, forwardIds]`, re-rendering when they change. */
export function useCheckpointIds(
  checkpointsOrCheckpointsId?: CheckpointsOrCheckpointsId,
): CheckpointIds {
  return useListenable(
    useCheckpointsOrCheckpointsById(checkpointsOrCheckpointsId),
    checkpointIdsReader,
  );
}

/** The label of a checkpoint (undefined when there is none), re-rendering when it changes. */
export function useCheckpoint(
  checkpointId: Id,
  checkpointsOrCheckpointsId?: CheckpointsOrCheckpointsId,
): string | undefined {
  return useListenable(
    useCheckpointsOrCheckpointsById(checkpointsOrCheckpointsId),
    checkpointReader,
    checkpointId,
  );
}

export function useCheckpointIdsListener(
  listener: CheckpointIdsListener,
  listenerDeps: DependencyList = NO_DEPS,
  checkpointsOrCheckpointsId?: CheckpointsOrCheckpointsId,
): void {
  useListener(
    useCheckpointsOrCheckpointsById(checkpointsOrCheckpointsId),
    (checkpoints: Checkpoints) => checkpoints.addCheckpointIdsListener(listener),
    listenerDeps,
  );
}

export function useCheckpointListener(
  checkpointId: IdOrNull,
  listener: CheckpointListener,
  listenerDeps: DependencyList = NO_DEPS,
  checkpointsOrCheckpointsId?: CheckpointsOrCheckpointsId,
): void {
  useListener(
    useCheckpointsOrCheckpointsById(checkpointsOrCheckpointsId),
    (checkpoints: Checkpoints) => checkpoints.addCheckpointListener(checkpointId, listener),
    [checkpointId, ...listenerDeps],
  );
}

/**
 * The shared shape of the checkpoints callbacks: resolve the checkpoints, then act on them (when
 * they are usable; otherwise, unlike TinyBase's, do nothing rather than throw).
 */
function useCheckpointsCallback<Parameter>(
  checkpointsOrCheckpointsId: CheckpointsOrCheckpointsId | undefined,
  act: (checkpoints: Checkpoints, parameter: Parameter) => void,
  deps: DependencyList,
): ParameterizedCallback<Parameter> {
  const checkpoints = useCheckpointsOrCheckpointsById(checkpointsOrCheckpointsId);
  // biome-ignore lint/correctness/useExhaustiveDependencies: act's inputs are listed in deps
  return useCallback(
    (parameter?: Parameter) => {
      if (isListenable<Checkpoints>(checkpoints)) {
        act(checkpoints, parameter as Parameter);
      }
    },
    [checkpoints, ...deps],
  );
}

/** A callback that adds a checkpoint, labelled by `getCheckpoint` of its parameter; then `then`. */
export function useSetCheckpointCallback<Parameter>(
  getCheckpoint: (parameter: Parameter) => string = () => '',
  getCheckpointDeps: DependencyList = NO_DEPS,
  checkpointsOrCheckpointsId?: CheckpointsOrCheckpointsId,
  then?: (checkpointId: Id, checkpoints: Checkpoints, label?: string) => void,
  thenDeps: DependencyList = NO_DEPS,
): ParameterizedCallback<Parameter> {
  return useCheckpointsCallback<Parameter>(
    checkpointsOrCheckpointsId,
    (checkpoints, parameter) => {
      const label = getCheckpoint(parameter);
      then?.(checkpoints.addCheckpoint(label), checkpoints, label);
    },
    [...getCheckpointDeps, ...thenDeps],
  );
}

export function useGoBackwardCallback(
  checkpointsOrCheckpointsId?: CheckpointsOrCheckpointsId,
): Callback {
  return useCheckpointsCallback(
    checkpointsOrCheckpointsId,
    (checkpoints) => checkpoints.goBackward(),
    NO_DEPS,
  );
}

export function useGoForwardCallback(
  checkpointsOrCheckpointsId?: CheckpointsOrCheckpointsId,
): Callback {
  return useCheckpointsCallback(
    checkpointsOrCheckpointsId,
    (checkpoints) => checkpoints.goForward(),
    NO_DEPS,
  );
}

/** A callback that goes to the checkpoint `getCheckpointId` gives for its parameter; then `then`. */
export function useGoToCallback<Parameter>(
  getCheckpointId: (parameter: Parameter) => Id,
  getCheckpointIdDeps: DependencyList = NO_DEPS,
  checkpointsOrCheckpointsId?: CheckpointsOrCheckpointsId,
  then?: (checkpoints: Checkpoints, checkpointId: Id) => void,
  thenDeps: DependencyList = NO_DEPS,
): ParameterizedCallback<Parameter> {
  return useCheckpointsCallback<Parameter>(
    checkpointsOrCheckpointsId,
    (checkpoints, parameter) => {
      const checkpointId = getCheckpointId(parameter);
      then?.(checkpoints.goTo(checkpointId), checkpointId);
    },
    [...getCheckpointIdDeps, ...thenDeps],
  );
}

/** Undo: possible when there is a checkpoint behind; it leaves the current one (and its label). */
export function useUndoInformation(
  checkpointsOrCheckpointsId?: CheckpointsOrCheckpointsId,
): UndoOrRedoInformation {
  const checkpoints = useCheckpointsOrCheckpointsById(checkpointsOrCheckpointsId);
  const [backwardIds, currentId] = useCheckpointIds(checkpoints);
  const label = useCheckpoint(currentId ?? '', checkpoints);
  return [
    backwardIds.length > 0,
    useGoBackwardCallback(checkpoints),
    currentId,
    (currentId === undefined ? undefined : label) ?? '',
  ];
}

/** Redo: possible when there is a checkpoint ahead; it reaches the next one (and its label). */
export function useRedoInformation(
  checkpointsOrCheckpointsId?: CheckpointsOrCheckpointsId,
): UndoOrRedoInformation {
  const checkpoints = useCheckpointsOrCheckpointsById(checkpointsOrCheckpointsId);
  const [, , [forwardId]] = useCheckpointIds(checkpoints);
  const label = useCheckpoint(forwardId ?? '', checkpoints);
  return [
    forwardId !== undefined,
    useGoForwardCallback(checkpoints),
    forwardId,
    (forwardId === undefined ? undefined : label) ?? '',
  ];
}
