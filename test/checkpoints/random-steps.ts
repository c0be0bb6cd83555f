// Random steps for side-by-side histories: writes to a small table and values, transactions of
// them, and every checkpoints method. Each step prints as the call it makes, so that a failing
// history reads as code.
import fc from 'fast-check';
import type {CellOrValue} from '../../src/index.js';
import type {Step} from './side-by-side.js';

const named = (description: string, step: Step): Step =>
  Object.assign(step, {toString: () => description});

const id = fc.constantFrom('a', 'b', 'c');
const content = fc.oneof(
  fc.integer({min: 0, max: 3}),
  fc.constantFrom<CellOrValue>('x', true, null, {o: 1}, [1]),
);
const show = JSON.stringify;

const write: fc.Arbitrary<Step> = fc.oneof(
  fc
    .tuple(id, id, content)
    .map(([row, cell, to]) =>
      named(`setCell(t, ${row}, ${cell}, ${show(to)})`, ({store}) =>
        store.setCell('t', row, cell, to),
      ),
    ),
  fc
    .tuple(id, id)
    .map(([row, cell]) =>
      named(`delCell(t, ${row}, ${cell})`, ({store}) => store.delCell('t', row, cell)),
    ),
  id.map((row) => named(`delRow(t, ${row})`, ({store}) => store.delRow('t', row))),
  fc
    .tuple(id, content)
    .map(([value, to]) =>
      named(`setValue(${value}, ${show(to)})`, ({store}) => store.setValue(value, to)),
    ),
  id.map((value) => named(`delValue(${value})`, ({store}) => store.delValue(value))),
);

const checkpointId = fc.integer({min: 0, max: 8}).map(String);

export const randomStep: fc.Arbitrary<Step> = fc.oneof(
  {weight: 4, arbitrary: write},
  fc.array(write, {maxLength: 4}).map((writes) =>
    named(`transaction(${writes.join('; ')})`, (pair) =>
      pair.store.transaction(() => {
        for (const each of writes) {
          each(pair);
        }
      }),
    ),
  ),
  {
    weight: 2,
    arbitrary: fc
      .option(id)
      .map((label) =>
        named(`addCheckpoint(${label ?? ''})`, ({checkpoints}) =>
          checkpoints.addCheckpoint(label ?? undefined),
        ),
      ),
  },
  {
    weight: 2,
    arbitrary: fc.constant(named('goBackward()', ({checkpoints}) => checkpoints.goBackward())),
  },
  fc.constant(named('goForward()', ({checkpoints}) => checkpoints.goForward())),
  checkpointId.map((target) =>
    named(`goTo(${target})`, ({checkpoints}) => checkpoints.goTo(target)),
  ),
  fc
    .tuple(checkpointId, id)
    .map(([target, label]) =>
      named(`setCheckpoint(${target}, ${label})`, ({checkpoints}) =>
        checkpoints.setCheckpoint(target, label),
      ),
    ),
  fc.constant(named('clearForward()', ({checkpoints}) => checkpoints.clearForward())),
  fc.constant(named('clear()', ({checkpoints}) => checkpoints.clear())),
  fc
    .integer({min: 0, max: 3})
    .map((size) => named(`setSize(${size})`, ({checkpoints}) => checkpoints.setSize(size))),
);
