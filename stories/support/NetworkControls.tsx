// Controls the stories put next to a pane: a switch that cuts the pane's link on the in-memory
// bus, and a history of the pane's sync status, so every state it went through stays visible.
import {useCallback, useEffect, useState} from 'react';
import {formatSyncStatus, useSyncStatus, useSyncStatusListener} from '../../src/react/index.js';
import type {NetworkBus} from './network-bus.js';

/** A checkbox "Pane X online" that cuts and restores this pane's link. */
export function LinkSwitch({bus, peerId}: {bus: NetworkBus; peerId: string}) {
  const [online, setOnline] = useState(true);
  return (
    <label className="link-switch">
      <input
        type="checkbox"
        checked={online}
        onChange={(event) => {
          setOnline(event.target.checked);
          bus.setOnline(peerId, event.target.checked);
        }}
      />
      Pane {peerId} online
    </label>
  );
}

const HISTORY_LENGTH = 8;

/** The last few distinct sync statuses of the provider's synchronizer, oldest first. */
export function StatusHistory({name}: {name: string}) {
  const current = formatSyncStatus(useSyncStatus());
  const [history, setHistory] = useState<string[]>([]);
  const append = useCallback(
    (entry: string) =>
      setHistory((entries) =>
        entries.at(-1) === entry ? entries : [...entries, entry].slice(-HISTORY_LENGTH),
      ),
    [],
  );
  // The status when the synchronizer appears, then every change the listener reports.
  useEffect(() => append(current), [append, current]);
  useSyncStatusListener((status) => append(formatSyncStatus(status)), [append]);
  return (
    <ol className="stamp" aria-label={`Status history of ${name}`}>
      {history.map((entry, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: entries repeat; their position is their identity
        <li key={index}>{entry}</li>
      ))}
    </ol>
  );
}
