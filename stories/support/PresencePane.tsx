// A pane of the presence story: a board where the pointer is this client's cursor and the other
// peers' cursors are drawn, and a list of rows where selecting one shows the others who is on it.
// Everything shown comes from useMyPresence and useOthers; nothing is written to the store.
import type {PointerEvent} from 'react';
import {useMyPresence, useOthers} from '../../src/react/index.js';
import './panes.css';

export const ROWS = ['Row 1', 'Row 2', 'Row 3'];

export function PresencePane({name}: {name: string}) {
  const [me, setMe] = useMyPresence();
  const others = useOthers();
  const moveCursor = (event: PointerEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    setMe({
      ...me,
      name,
      x: Math.round(event.clientX - box.left),
      y: Math.round(event.clientY - box.top),
    });
  };
  return (
    <section className="pane" aria-label={`Pane ${name}`}>
      <header>
        <h3>Pane {name}</h3>
        <span>{others.length === 1 ? '1 other here' : `${others.length} others here`}</span>
      </header>
      <div
        role="application"
        aria-label={`Board ${name}`}
        className="presence-board"
        onPointerMove={moveCursor}
      >
        {others
          .filter(({state}) => typeof state.x === 'number')
          .map(({peerId, state}) => (
            <span
              key={peerId}
              role="img"
              aria-label={`Cursor of ${String(state.name)}`}
              className="presence-cursor"
              style={{left: Number(state.x), top: Number(state.y)}}
            >
              ▲ {String(state.name)}
            </span>
          ))}
      </div>
      <ul className="presence-rows">
        {ROWS.map((row) => {
          const here = others.filter(({state}) => state.selected === row);
          return (
            <li key={row} aria-current={me?.selected === row ? 'true' : undefined}>
              <button type="button" onClick={() => setMe({...me, name, selected: row})}>
                Select {row}
              </button>
              {here.map(({peerId, state}) => (
                <span key={peerId} className="presence-badge">
                  {String(state.name)} is on {row}
                </span>
              ))}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
