// The live log of protocol messages, newest first: direction, peer, message type and size.
import type {ReactNode} from 'react';
import type {MessageLogSnapshot} from './message-log.js';
import {captionStyle, cellStyle, tableStyle} from './styles.js';

function formatBytes(bytes: number): string {
  return Number.isNaN(bytes) ? '?' : `${bytes} B`;
}

export function MessageLogView({log, limit}: {log: MessageLogSnapshot; limit: number}): ReactNode {
  const newestFirst = [...log.entries].reverse();
  return (
    <section aria-label="Messages">
      <h2>Messages</h2>
      <table style={tableStyle}>
        <caption style={captionStyle}>
          {log.total} messages (last {Math.min(log.total, limit)} shown)
        </caption>
        <thead>
          <tr>
            <th style={cellStyle}>#</th>
            <th style={cellStyle}>direction</th>
            <th style={cellStyle}>peer</th>
            <th style={cellStyle}>message</th>
            <th style={cellStyle}>size</th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((entry) => (
            <tr key={entry.sequence} data-message-row="">
              <td style={cellStyle}>{entry.sequence}</td>
              <td style={cellStyle}>{entry.direction === 'sent' ? '→ sent' : '← received'}</td>
              <td style={cellStyle}>{entry.peerId ?? 'all peers'}</td>
              <td style={cellStyle}>{entry.name}</td>
              <td style={cellStyle}>{formatBytes(entry.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
