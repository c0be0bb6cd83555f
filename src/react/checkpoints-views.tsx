// TinyBase's checkpoints views: a checkpoint's label, and the checkpoints behind, current and
// ahead, each rendered with a checkpoint component (CheckpointView unless given one).
import type {ComponentType, ReactElement, ReactNode} from 'react';
import type {Id, Ids} from '../store/types.js';
import {useCheckpoint, useCheckpointIds} from './checkpoints-hooks.js';
import type {CheckpointsOrCheckpointsId} from './context.js';
import {type ExtraProps, wrap} from './views.js';

export type CheckpointProps = {
  readonly checkpointId: Id;
  readonly checkpoints?: CheckpointsOrCheckpointsId;
  /** Renders the id around the label, as `id:{label}`, for debugging. */
  readonly debugIds?: boolean;
};

type CheckpointListProps = {
  readonly checkpoints?: CheckpointsOrCheckpointsId;
  readonly checkpointComponent?: ComponentType<CheckpointProps>;
  readonly getCheckpointComponentProps?: (checkpointId: Id) => ExtraProps;
  readonly separator?: ReactElement | string;
  readonly debugIds?: boolean;
};
export type BackwardCheckpointsProps = CheckpointListProps;
export type CurrentCheckpointProps = Omit<CheckpointListProps, 'separator'>;
export type ForwardCheckpointsProps = CheckpointListProps;

/** A checkpoint's label (nothing for an unknown checkpoint). */
export function CheckpointView({checkpoints, checkpointId, debugIds}: CheckpointProps): ReactNode {
  return wrap(useCheckpoint(checkpointId, checkpoints) ?? '', undefined, debugIds, checkpointId);
}

function renderCheckpoints(
  {
    checkpoints,
    checkpointComponent: Checkpoint = CheckpointView,
    getCheckpointComponentProps,
    separator,
    debugIds,
  }: CheckpointListProps,
  checkpointIds: Ids,
): ReactNode {
  const rendered = checkpointIds.map((checkpointId) => (
    <Checkpoint
      key={checkpointId}
      {...getCheckpointComponentProps?.(checkpointId)}
      checkpointId={checkpointId}
      checkpoints={checkpoints}
      debugIds={debugIds}
    />
  ));
  return wrap(rendered, separator, debugIds);
}

/** The checkpoints one can go back to, oldest first. */
export function BackwardCheckpointsView(props: BackwardCheckpointsProps): ReactNode {
  return renderCheckpoints(props, useCheckpointIds(props.checkpoints)[0]);
}

/** The current checkpoint, or nothing while changes are pending. */
export function CurrentCheckpointView(props: CurrentCheckpointProps): ReactNode {
  const currentId = useCheckpointIds(props.checkpoints)[1];
  return renderCheckpoints(props, currentId === undefined ? [] : [currentId]);
}

/** The checkpoints one can go forward to, nearest first. */
export function ForwardCheckpointsView(props: ForwardCheckpointsProps): ReactNode {
  return renderCheckpoints(props, useCheckpointIds(props.checkpoints)[2]);
}
