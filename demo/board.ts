// The task board's data: two tables and one value, all in one MergeableStore.
//   lanes: {[laneId]: {name, order}}             the board's columns
//   tasks: {[taskId]: {title, lane, createdAt}}  cards; `lane` is a lanes row id
//   boardName                                    the title at the top
import type {Content} from '../src/store/types.js';

export const LANES = 'lanes';
export const TASKS = 'tasks';
export const BOARD_NAME = 'boardName';

/**
 * What a brand-new board holds. Set as defaults (stamped with no time), so the first real edit
 * anywhere wins over them, and two browsers that both start from them still agree.
 */
export const STARTING_BOARD: Content = [
  {
    [LANES]: {
      todo: {name: 'To do', order: 1},
      doing: {name: 'Doing', order: 2},
      done: {name: 'Done', order: 3},
    },
  },
  {[BOARD_NAME]: 'Our board'},
];

/** Cards made offline on different devices must never share an id: each gets a random one. */
export const newTaskId = (): string => crypto.randomUUID().slice(0, 8);
