// The task board: lanes of cards, a board name, a status bar that says whether edits are live,
// waiting for the server, or kept in this browser only, undo and redo of one's own edits, and the
// Inspector behind a toggle, and who else is on the board (demo/Presence.tsx).
import {type ChangeEvent, type FormEvent, useMemo, useState, useSyncExternalStore} from 'react';
import {
  SyncStatusView,
  useCell,
  useDelRowCallback,
  useSetCellCallback,
  useSetValueCallback,
  useSortedRowIds,
  useStore,
  useSyncStatus,
  useTable,
  useValue,
} from '../src/react/index.js';
import {Inspector} from '../src/react-inspector/index.js';
import {BOARD_NAME, LANES, newTaskId, TASKS} from './board.js';
import type {LocalCopy} from './local-copy.js';
import {EditingBadges, MyName, OthersOnBoard, useEditingPresence} from './Presence.js';
import {UndoRedo} from './UndoRedo.js';

const inputValue = (event: ChangeEvent<HTMLInputElement>) => event.target.value;

function BoardName() {
  const name = useValue(BOARD_NAME);
  const setName = useSetValueCallback(BOARD_NAME, inputValue);
  return (
    <input
      className="board-name"
      aria-label="Board name"
      value={String(name ?? '')}
      onChange={setName}
    />
  );
}

/** Shows or hides the Inspector (store, sync status, peers, messages) docked at the bottom. */
function InspectorToggle({shown, onToggle}: {shown: boolean; onToggle: () => void}) {
  return (
    <button type="button" aria-pressed={shown} onClick={onToggle}>
      Inspector
    </button>
  );
}

function StatusBar({roomUrl, localCopy}: {roomUrl: string; localCopy: LocalCopy}) {
  const {connection, phase, pendingChanges, lastSyncedAt} = useSyncStatus();
  const localProblem = useSyncExternalStore(localCopy.subscribe, localCopy.getProblem);
  let explanation: string;
  if (connection === 'online') {
    explanation =
      phase === 'syncing' ? 'Catching up with the server…' : 'Live: every edit reaches everyone.';
  } else if (connection === 'connecting') {
    explanation = 'Connecting to the server…';
  } else {
    explanation =
      pendingChanges > 0
        ? `Offline: ${pendingChanges} change${pendingChanges === 1 ? '' : 's'} kept in this browser, sent when the server is back.`
        : 'Offline: your edits are kept in this browser and sent when the server is back.';
  }
  return (
    <div className="status-bar">
      <SyncStatusView className="sync-status" />
      <span className="explanation">{explanation}</span>
      <span className="muted">
        {roomUrl}
        {lastSyncedAt === null
          ? ''
          : ` · last synced ${new Date(lastSyncedAt).toLocaleTimeString()}`}
      </span>
      {localProblem && (
        <span className="problem" role="alert">
          Not saved in this browser: {localProblem.message}
        </span>
      )}
    </div>
  );
}

function TaskCard({taskId, laneIds}: {taskId: string; laneIds: string[]}) {
  const title = String(useCell(TASKS, taskId, 'title') ?? '');
  const lane = String(useCell(TASKS, taskId, 'lane') ?? '');
  const setTitle = useSetCellCallback(TASKS, taskId, 'title', inputValue);
  const moveTo = useSetCellCallback(TASKS, taskId, 'lane', (laneId: string) => laneId);
  const remove = useDelRowCallback(TASKS, taskId);
  const editingPresence = useEditingPresence(taskId);
  const position = laneIds.indexOf(lane);
  const previous = laneIds[position - 1];
  const next = laneIds[position + 1];
  return (
    <li className="card">
      <EditingBadges taskId={taskId} />
      <input aria-label="Task title" value={title} onChange={setTitle} {...editingPresence} />
      <div className="card-actions">
        <button
          type="button"
          aria-label={`Move ${title} left`}
          disabled={previous === undefined}
          onClick={() => previous && moveTo(previous)}
        >
          ←
        </button>
        <button
          type="button"
          aria-label={`Move ${title} right`}
          disabled={next === undefined}
          onClick={() => next && moveTo(next)}
        >
          →
        </button>
        <button type="button" aria-label={`Delete ${title}`} onClick={() => remove()}>
          ✕
        </button>
      </div>
    </li>
  );
}

function AddTask({laneId, laneName}: {laneId: string; laneName: string}) {
  const store = useStore();
  const [title, setTitle] = useState('');
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (title.trim() === '') return;
    store?.setRow(TASKS, newTaskId(), {title: title.trim(), lane: laneId, createdAt: Date.now()});
    setTitle('');
  };
  return (
    <form className="add-task" onSubmit={add}>
      <input
        aria-label={`New task in ${laneName}`}
        placeholder="New task"
        value={title}
        onChange={(event) => setTitle(event.target.value)}
      />
      <button type="submit" aria-label={`Add to ${laneName}`}>
        +
      </button>
    </form>
  );
}

function Lane({laneId, laneIds}: {laneId: string; laneIds: string[]}) {
  const name = String(useCell(LANES, laneId, 'name') ?? laneId);
  const tasks = useTable(TASKS);
  const taskIds = useMemo(
    () =>
      Object.keys(tasks)
        .filter((taskId) => tasks[taskId]?.lane === laneId)
        .sort((a, b) => Number(tasks[a]?.createdAt ?? 0) - Number(tasks[b]?.createdAt ?? 0)),
    [tasks, laneId],
  );
  return (
    <section className="lane" aria-label={name}>
      <h2>
        {name} <span className="muted">{taskIds.length}</span>
      </h2>
      <ul>
        {taskIds.map((taskId) => (
          <TaskCard key={taskId} taskId={taskId} laneIds={laneIds} />
        ))}
      </ul>
      <AddTask laneId={laneId} laneName={name} />
    </section>
  );
}

export function App({roomUrl, localCopy}: {roomUrl: string; localCopy: LocalCopy}) {
  const laneIds = useSortedRowIds(LANES, 'order');
  const [inspectorShown, setInspectorShown] = useState(false);
  return (
    <>
      <header>
        <div className="title-row">
          <BoardName />
          <div className="toolbar" role="toolbar" aria-label="Board tools">
            <UndoRedo />
            <InspectorToggle
              shown={inspectorShown}
              onToggle={() => setInspectorShown(!inspectorShown)}
            />
          </div>
          {/* Presence: who else is on this board, and which card each is editing. */}
          <div className="presence">
            <OthersOnBoard />
            <MyName />
          </div>
        </div>
        <StatusBar roomUrl={roomUrl} localCopy={localCopy} />
      </header>
      <main className="lanes">
        {laneIds.map((laneId) => (
          <Lane key={laneId} laneId={laneId} laneIds={laneIds} />
        ))}
      </main>
      <footer className="muted">
        Open this page in a second window: edits appear in both. Undo takes back only your own
        edits. Press s in the terminal running npm start to stop the sync server, keep editing,
        reload, press s again to start it: nothing is lost.
      </footer>
      {inspectorShown ? <Inspector open position="bottom" /> : null}
    </>
  );
}
