// The listeners of one Checkpoints object: to its ids, and to the label of one or every checkpoint.
import type {Id, IdOrNull} from '../store/types.js';
import type {
  CheckpointIdsListener,
  CheckpointListener,
  Checkpoints,
  CheckpointsListenerStats,
} from './types.js';

export class CheckpointsListeners {
  private nextId = 0;
  private readonly idsListeners = new Map<Id, CheckpointIdsListener>();
  private readonly labelListeners = new Map<
    Id,
    {checkpointId: IdOrNull; listener: CheckpointListener}
  >();

  addIdsListener(listener: CheckpointIdsListener): Id {
    const listenerId = String(this.nextId++);
    this.idsListeners.set(listenerId, listener);
    return listenerId;
  }

  addLabelListener(checkpointId: IdOrNull, listener: CheckpointListener): Id {
    const listenerId = String(this.nextId++);
    this.labelListeners.set(listenerId, {checkpointId, listener});
    return listenerId;
  }

  delete(listenerId: Id): void {
    this.idsListeners.delete(listenerId);
    this.labelListeners.delete(listenerId);
  }

  // Listeners may add or remove listeners: each call goes over a copy.
  callIds(checkpoints: Checkpoints): void {
    for (const listener of [...this.idsListeners.values()]) {
      listener(checkpoints);
    }
  }

  callLabel(checkpoints: Checkpoints, checkpointId: Id): void {
    for (const {checkpointId: watched, listener} of [...this.labelListeners.values()]) {
      if (watched === null || watched === checkpointId) {
        listener(checkpoints, checkpointId);
      }
    }
  }

  getStats(): CheckpointsListenerStats {
    return {checkpointIds: this.idsListeners.size, checkpoint: this.labelListeners.size};
  }
}
