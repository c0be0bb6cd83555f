// @vitest-environment happy-dom
// EditableCellView and EditableValueView in use: the type button cycles string → number →
// boolean → object → array, inputs write to the store, changes from outside show up. After every
// step both libraries show the same and their stores hold the same; each step's effect on the
// store is also checked.
import {type ReactNode, StrictMode} from 'react';
import {describe, expect, test} from 'vitest';
import type {CellOrValue} from '../../src/store/types.js';
import {type Content, fireEvent, type Live, renderLive, type Side} from './support.js';

type Step =
  | 'cycle' // click the type button
  | 'tick' // click the checkbox
  | {type: string} // type into the input
  | {external: CellOrValue} // the store changes from outside
  | 'delete'; // the cell or value is deleted from outside

type Subject = {
  name: string;
  content: (start: CellOrValue | undefined) => Content;
  tree: (side: Side) => ReactNode;
  read: (side: Side) => CellOrValue | undefined;
  write: (side: Side, thing: CellOrValue) => void;
  remove: (side: Side) => void;
};

/** A row (or values) with `id` set to start, unless undefined, and another cell beside it. */
function withStart(id: string, start: CellOrValue | undefined): {[id: string]: CellOrValue} {
  return start === undefined ? {x: 1} : {[id]: start, x: 1};
}

const cellSubject: Subject = {
  name: 'EditableCellView',
  // A second cell keeps the row when the edited one is missing or deleted.
  content: (start) => ({tables: {t: {r: withStart('c', start)}}}),
  tree: ({dom}) => <dom.EditableCellView tableId="t" rowId="r" cellId="c" />,
  read: ({store}) => store.getCell('t', 'r', 'c'),
  write: ({store}, thing) => store.setCell('t', 'r', 'c', thing),
  remove: ({store}) => store.delCell('t', 'r', 'c'),
};
const valueSubject: Subject = {
  name: 'EditableValueView',
  content: (start) => ({values: withStart('v', start)}),
  tree: ({dom}) => <dom.EditableValueView valueId="v" />,
  read: ({store}) => store.getValue('v'),
  write: ({store}, thing) => store.setValue('v', thing),
  remove: ({store}) => store.delValue('v'),
};

function act(live: Live, subject: Subject, step: Step) {
  live.both((side) => {
    const input = side.container.querySelector('input');
    if (step === 'cycle') {
      fireEvent.click(side.container.querySelector('button')!);
    } else if (step === 'tick') {
      fireEvent.click(input!);
    } else if (step === 'delete') {
      subject.remove(side);
    } else if ('type' in step) {
      fireEvent.change(input!, {target: {value: step.type}});
    } else {
      subject.write(side, step.external);
    }
  });
}

/** Runs the steps on both sides, checking after each that they show and store the same. */
function runShowing(subject: Subject, start: CellOrValue | undefined, steps: Step[]) {
  const live = renderLive(subject.content(start), subject.tree);
  live.expectSame();
  return steps.map((step) => {
    act(live, subject, step);
    return {shown: live.expectSame(), stored: subject.read(live.ours)};
  });
}

/** The stored thing after each step. */
const run = (subject: Subject, start: CellOrValue | undefined, steps: Step[]) =>
  runShowing(subject, start, steps).map(({stored}) => stored);

/** Whether the JSON input is marked invalid after each step. */
const invalidAfter = (subject: Subject, start: CellOrValue | undefined, steps: Step[]) =>
  runShowing(subject, start, steps).map(({shown}) => shown.includes('class="invalid"'));

const cycles = (count: number): Step[] => Array(count).fill('cycle');

describe.each([cellSubject, valueSubject])('$name', (subject) => {
  test.each<[CellOrValue, CellOrValue[]]>([
    ['hello', [0, true, {}, [], 'hello', 0]],
    ['', [0, false, {}, [], '', 0]],
    ['12', [12, true, {}, [], '12', 12]],
    ['true', [0, true, {}, [], 'true', 0]],
    [0, [false, {}, [], '0', 0, false]],
    [7.5, [true, {}, [], '7.5', 7.5, true]],
    [-3, [true, {}, [], '-3', -3, true]],
    [true, [{}, [], 'true', 1, true, {}]],
    [false, [{}, [], 'false', 0, false, {}]],
    // A thing that starts as an object or array has no string to go back to: it stays an array.
    [{a: 1}, [[], [], [], []]],
    [
      [1, 'x'],
      [
        [1, 'x'],
        [1, 'x'],
      ],
    ],
  ])('the type button cycles from %j', (start, expected) => {
    expect(run(subject, start, cycles(expected.length))).toEqual(expected);
  });

  test('string input', () => {
    expect(run(subject, 's', [{type: 'abc'}, {type: ''}, {type: '12'}, 'cycle', 'cycle'])).toEqual([
      'abc',
      '',
      '12',
      0,
      true,
    ]);
  });

  test('number input: empty or unparsable is 0', () => {
    expect(
      run(subject, 3, [{type: '42'}, {type: ''}, {type: '-1.5'}, {type: 'abc'}, {type: '1e3'}]),
    ).toEqual([42, 0, -1.5, 0, 1000]);
  });

  test('number edits keep the other types from where the thing arrived', () => {
    expect(run(subject, 3, [{type: '0'}, ...cycles(5)])).toEqual([0, true, {}, [], '3', 0]);
  });

  test('checkbox', () => {
    expect(run(subject, true, ['tick', 'tick', 'tick', ...cycles(4)])).toEqual([
      false,
      true,
      false,
      {},
      [],
      'true',
      1,
    ]);
  });

  test('object input: valid JSON objects are written, anything else is marked invalid', () => {
    expect(
      run(subject, {a: 1}, [
        {type: '{"b":2}'},
        {type: '{bad'},
        {type: '[1]'},
        {type: '{ "c" : 3 }'},
        {type: 'null'},
        {type: '"s"'},
        {type: '{}'},
      ]),
    ).toEqual([{b: 2}, {b: 2}, {b: 2}, {c: 3}, {c: 3}, {c: 3}, {}]);
  });

  test('array input', () => {
    expect(
      run(subject, [1], [{type: '[2,3]'}, {type: '[bad'}, {type: '{"a":1}'}, {type: '[]'}]),
    ).toEqual([[2, 3], [2, 3], [2, 3], []]);
  });

  test('edited objects and arrays come back when cycling round', () => {
    expect(
      run(subject, 'x', [...cycles(3), {type: '{"q":1}'}, 'cycle', {type: '[5]'}, ...cycles(5)]),
    ).toEqual([0, true, {}, {q: 1}, [], [5], 'x', 0, true, {q: 1}, [5]]);
  });

  test('changes from outside show up and reset what the other types start from', () => {
    expect(run(subject, 'hello', [{external: 0}, ...cycles(5)])).toEqual([
      0,
      false,
      {},
      [],
      '0',
      0,
    ]);
    expect(run(subject, {a: 1}, [{external: 'x'}, ...cycles(6)])).toEqual([
      'x',
      0,
      true,
      {a: 1},
      [],
      'x',
      0,
    ]);
    expect(run(subject, 'a', [{external: {z: 1}}, ...cycles(3)])).toEqual([{z: 1}, [], 'a', 0]);
  });

  test('invalid JSON text stays until a change from outside replaces it', () => {
    expect(
      run(subject, {a: 1}, [
        {type: '{bad'},
        {external: {a: 1}},
        {external: {b: 2}},
        {type: '{"c":3}'},
      ]),
    ).toEqual([{a: 1}, {a: 1}, {b: 2}, {c: 3}]);
  });

  test('an invalid mark sticks to its type until typed JSON changes the thing', () => {
    // Cycling round and typing the same object again keep the mark, as in TinyBase.
    expect(
      invalidAfter(subject, 'x', [...cycles(3), {type: '{bad'}, ...cycles(5), {type: '{}'}]),
    ).toEqual([false, false, false, true, false, false, false, false, true, true]);
    expect(
      invalidAfter(subject, {a: 1}, [{type: '{bad'}, {external: 'str'}, ...cycles(4)]),
    ).toEqual([true, false, false, false, true, false]);
    expect(
      invalidAfter(subject, [1], [{type: '[bad'}, {external: [2]}, {type: '[3]'}, {type: '[bad'}]),
    ).toEqual([true, true, false, true]);
  });

  test('JSON that does not parse forgets the remembered object or array', () => {
    expect(run(subject, {a: 1}, [{type: '{bad'}, {external: 'str'}, ...cycles(3)])).toEqual([
      {a: 1},
      'str',
      0,
      true,
      {},
    ]);
    expect(run(subject, [1, 2], [{type: '[bad'}, {external: 'str'}, ...cycles(4)])).toEqual([
      [1, 2],
      'str',
      0,
      true,
      {},
      [],
    ]);
    // So typing the thing's own JSON after a bad one writes it, and clears the mark.
    expect(invalidAfter(subject, {a: 1}, [{type: '{bad'}, {type: '{"a":1}'}])).toEqual([
      true,
      false,
    ]);
  });

  test('same JSON written differently is shown as JSON again', () => {
    const [{shown}] = runShowing(subject, {a: 1}, [{type: '{ "a" : 1 }'}]);
    expect(shown).toContain('value="{&quot;a&quot;:1}"');
  });

  test('a missing or deleted thing has no editor until it comes back', () => {
    expect(run(subject, undefined, [{external: 'now'}, 'cycle'])).toEqual(['now', 0]);
    expect(run(subject, 'a', ['delete', {external: 5}, ...cycles(5)])).toEqual([
      undefined,
      5,
      true,
      {},
      [],
      '5',
      5,
    ]);
  });
});

describe('editable tables write to the store', () => {
  test('TableInHtmlTable editable', () => {
    const live = renderLive({tables: {pets: {fido: {species: 'dog', legs: 4}}}}, (side) => (
      <side.dom.TableInHtmlTable tableId="pets" editable />
    ));
    live.both(({container}) =>
      fireEvent.change(container.querySelectorAll('input')[1], {target: {value: '3'}}),
    );
    live.expectSame();
    live.both(({container}) => fireEvent.click(container.querySelectorAll('button')[0]));
    live.expectSame();
    expect(live.ours.store.getRow('pets', 'fido')).toEqual({species: 0, legs: 3});
  });

  test('SortedTableInHtmlTable editable re-sorts after an edit', () => {
    const live = renderLive(
      {tables: {pets: {fido: {species: 'dog'}, felix: {species: 'cat'}}}},
      (side) => <side.dom.SortedTableInHtmlTable tableId="pets" cellId="species" editable />,
    );
    live.both(({container}) =>
      fireEvent.change(container.querySelectorAll('input')[0], {target: {value: 'zebu'}}),
    );
    live.expectSame();
    expect(live.ours.store.getCell('pets', 'felix', 'species')).toBe('zebu');
    expect(
      [...live.ours.container.querySelectorAll('tbody th')].map((th) => th.textContent),
    ).toEqual(['fido', 'felix']);
  });

  test('ValuesInHtmlTable editable', () => {
    const live = renderLive({values: {open: true, motto: 'hi'}}, (side) => (
      <side.dom.ValuesInHtmlTable editable />
    ));
    live.both(({container}) => fireEvent.click(container.querySelectorAll('input')[0]));
    live.both(({container}) =>
      fireEvent.change(container.querySelectorAll('input')[1], {target: {value: 'bye'}}),
    );
    live.expectSame();
    expect(live.ours.store.getValues()).toEqual({open: false, motto: 'bye'});
  });
});

describe('StrictMode and named stores', () => {
  test('the editors behave the same under StrictMode, with the store given by id', () => {
    const live = renderLive({tables: {t: {r: {c: 'a'}}}, values: {v: 2}}, ({dom}) => (
      <StrictMode>
        <dom.EditableCellView tableId="t" rowId="r" cellId="c" store="named" />
        <dom.EditableValueView valueId="v" store="named" />
      </StrictMode>
    ));
    live.both(({container}) => fireEvent.click(container.querySelectorAll('button')[0]));
    live.both(({container}) =>
      fireEvent.change(container.querySelectorAll('input')[1], {target: {value: '5'}}),
    );
    live.both(({store}) => store.setCell('t', 'r', 'c', 'outside'));
    live.both(({container}) => fireEvent.click(container.querySelectorAll('button')[0]));
    live.expectSame();
    expect(live.ours.store.getCell('t', 'r', 'c')).toBe(0);
    expect(live.ours.store.getValue('v')).toBe(5);
  });
});
