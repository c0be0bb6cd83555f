// The synchronizer's sync status, the peers it exchanged messages with, and presence. The engine
// keeps no list of peers, so they are the ones the message log has seen since the Inspector
// opened; presence lists this client's state and the peers that have one (docs/protocol.md §8.2).
import type {ReactNode} from 'react';
import {useMyPresence, useOthers} from '../react/presence-hooks.js';
import {useSyncStatus} from '../react/sync-hooks.js';
import type {Synchronizer} from '../synchronizers/types.js';
import type {PeerSummary} from './message-log.js';
import {captionStyle, cellStyle, tableStyle} from './styles.js';

function formatTime(time: number | null): string {
  return time === null ? 'never' : new Date(time).toLocaleTimeString();
}

function StatusTable({synchronizer}: {synchronizer: Synchronizer}): ReactNode {
  const status = useSyncStatus(synchronizer);
  const rows: [string, string][] = [
    ['connection', status.connection],
    ['phase', status.phase],
    ['pending changes', String(status.pendingChanges)],
    ['last synced', formatTime(status.lastSyncedAt)],
    ['error', status.error?.message ?? 'none'],
  ];
  return (
    <table style={tableStyle}>
      <caption style={captionStyle}>Sync status</caption>
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th style={cellStyle}>{label}</th>
            <td style={cellStyle}>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PeersTable({peers}: {peers: readonly PeerSummary[]}): ReactNode {
  return (
    <table style={tableStyle}>
      <caption style={captionStyle}>Peers ({peers.length})</caption>
      <thead>
        <tr>
          <th style={cellStyle}>peer</th>
          <th style={cellStyle}>sent</th>
          <th style={cellStyle}>received</th>
          <th style={cellStyle}>last seen</th>
        </tr>
      </thead>
      <tbody>
        {peers.map((peer) => (
          <tr key={peer.peerId}>
            <td style={cellStyle}>{peer.peerId}</td>
            <td style={cellStyle}>
              {peer.sent} ({peer.bytesSent} B)
            </td>
            <td style={cellStyle}>
              {peer.received} ({peer.bytesReceived} B)
            </td>
            <td style={cellStyle}>{formatTime(peer.lastSeenAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PresenceTable({synchronizer}: {synchronizer: Synchronizer}): ReactNode {
  const [mine] = useMyPresence(synchronizer);
  const others = useOthers(synchronizer);
  return (
    <table style={tableStyle}>
      <caption style={captionStyle}>Presence ({others.length} peers)</caption>
      <tbody>
        <tr>
          <th style={cellStyle}>this client</th>
          <td style={cellStyle}>{mine === null ? 'none' : JSON.stringify(mine)}</td>
        </tr>
        {others.map(({peerId, state}) => (
          <tr key={peerId}>
            <th style={cellStyle}>{peerId}</th>
            <td style={cellStyle}>{JSON.stringify(state)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SyncSection({
  synchronizer,
  peers,
}: {
  synchronizer: Synchronizer | undefined;
  peers: readonly PeerSummary[];
}): ReactNode {
  return (
    <section aria-label="Sync">
      <h2>Sync</h2>
      {synchronizer === undefined ? (
        <p>No synchronizer.</p>
      ) : (
        <>
          <StatusTable synchronizer={synchronizer} />
          <PeersTable peers={peers} />
          <PresenceTable synchronizer={synchronizer} />
        </>
      )}
    </section>
  );
}
