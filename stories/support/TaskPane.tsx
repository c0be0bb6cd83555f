// One pane of a synced-panes story: a task list bound to the store of the nearest
// SynchronizerProvider, with its sync status. Every pane is its own provider, store and
// synchronizer, as two devices would be.
/// <reference types="vite/client" />
import {type ChangeEvent, type FormEvent, type ReactNode, useState} from 'react';
import {
  SyncStatusView,
  useCell,
  useDelRowCallback,
  useSetCellCallback,
  useSortedRowIds,
  useStore,
} from '../../src/react/index.js';
import type {Content} from '../../src/store/types.js';
import './panes.css';

export const TASKS = 'tasks';

/** Two tasks both panes start with, as defaults that any real edit beats. */
export const STARTING_TASKS: Content = [
  {
    [TASKS]: {
      milk: {title: 'Buy milk', done: false, createdAt: 1},
      call: {title: 'Call the plumber', done: true, createdAt: 2},
    },
  },
  {},
];

/** Rows created on different devices must never share an id, so new tasks get random ones. */
const newTaskId = () => crypto.randomUUID().slice(0, 8);

function AddTask() {
  const store = useStore();
  const [title, setTitle] = useState('');
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (title.trim() === '') return;
    store?.setRow(TASKS, newTaskId(), {title: title.trim(), done: false, createdAt: Date.now()});
    setTitle('');
  };
  return (
    <form className="add-task" onSubmit={add}>
      <input
        aria-label="New task"
        placeholder="New task"
        value={title}
        onChange={(event) => setTitle(event.target.value)}
      />
      <button type="submit">Add</button>
    </form>
  );
}

function TaskRow({taskId}: {taskId: string}) {
  const title = useCell(TASKS, taskId, 'title');
  const done = useCell(TASKS, taskId, 'done');
  const setTitle = useSetCellCallback(
    TASKS,
    taskId,
    'title',
    (event: ChangeEvent<HTMLInputElement>) => event.target.value,
  );
  const setDone = useSetCellCallback(
    TASKS,
    taskId,
    'done',
    (event: ChangeEvent<HTMLInputElement>) => event.target.checked,
  );
  const deleteTask = useDelRowCallback(TASKS, taskId);
  const label = String(title ?? '');
  return (
    <li className="task" data-task-id={taskId}>
      <input
        type="checkbox"
        aria-label={`Done: ${label}`}
        checked={done === true}
        onChange={setDone}
      />
      <input aria-label={`Title of ${taskId}`} value={label} onChange={setTitle} />
      <button type="button" aria-label={`Delete ${label}`} onClick={() => deleteTask()}>
        ✕
      </button>
    </li>
  );
}

export function TaskList() {
  const taskIds = useSortedRowIds(TASKS, 'createdAt');
  return (
    <ul className="tasks" aria-label="Tasks">
      {taskIds.map((taskId) => (
        <TaskRow key={taskId} taskId={taskId} />
      ))}
    </ul>
  );
}

/** A titled pane: header with the sync status and any extra controls, then the task list. */
export function TaskPane({name, controls}: {name: string; controls?: ReactNode}) {
  return (
    <section className="pane" aria-label={`Pane ${name}`}>
      <header>
        <h3>Pane {name}</h3>
        <SyncStatusView className="sync-status" />
        {controls}
      </header>
      <AddTask />
      <TaskList />
    </section>
  );
}

/** Lays panes out side by side. */
export function Panes({children}: {children: ReactNode}) {
  return <div className="panes">{children}</div>;
}
