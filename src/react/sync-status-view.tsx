// SyncStatusView: a small indicator of a synchronizer's connection, phase and pending changes.
// It carries its state in data attributes, so apps style it with CSS alone.
import type {CSSProperties, ReactNode} from 'react';
import {describeError} from '../synchronizers/errors.js';
import type {SyncStatus} from '../synchronizers/types.js';
import type {SynchronizerOrSynchronizerId} from './context.js';
import {useSyncStatus} from './sync-hooks.js';

export type SyncStatusViewProps = {
  /** The synchronizer or its provider id; the provider's default when omitted. */
  readonly synchronizer?: SynchronizerOrSynchronizerId;
  readonly className?: string;
  readonly style?: CSSProperties;
  /** Replaces the default text, for example to translate it. */
  readonly format?: (status: SyncStatus) => ReactNode;
};

/**
 * "online · synced", plus "· 3 pending" while local changes wait to be sent and "· 2 unconfirmed"
 * while the server has not yet confirmed storing changes sent to it.
 */
export function formatSyncStatus({
  connection,
  phase,
  pendingChanges,
  unconfirmedChanges = 0,
}: SyncStatus): string {
  const pending = pendingChanges > 0 ? ` · ${pendingChanges} pending` : '';
  const unconfirmed = unconfirmedChanges > 0 ? ` · ${unconfirmedChanges} unconfirmed` : '';
  return `${connection} · ${phase}${pending}${unconfirmed}`;
}

/**
 * Renders `<span role="status" data-connection data-phase data-pending-changes
 * [data-unconfirmed-changes] [data-node] [data-error]>` with a short text; the last error, if
 * any, is its title. `data-node` is the node id of a WebSocket client's server, or its URL.
 */
export function SyncStatusView({
  synchronizer,
  className,
  style,
  format = formatSyncStatus,
}: SyncStatusViewProps): ReactNode {
  const status = useSyncStatus(synchronizer);
  return (
    <span
      role="status"
      className={className}
      style={style}
      data-connection={status.connection}
      data-phase={status.phase}
      data-pending-changes={status.pendingChanges}
      data-unconfirmed-changes={status.unconfirmedChanges}
      data-node={status.node?.nodeId ?? status.node?.url}
      data-error={status.error === null ? undefined : ''}
      title={status.error ? describeError(status.error) : undefined}
    >
      {format(status)}
    </span>
  );
}
