// EditableCellView and EditableValueView: one cell or value of the store in an editor that writes
// back to the store, re-rendering when the store changes it.
import type {ReactNode} from 'react';
import {useSetCellCallback, useSetValueCallback} from '../react/setter-hooks.js';
import {useCell, useValue} from '../react/store-hooks.js';
import type {CellProps, ValueProps} from '../react/views.js';
import type {CellOrValue} from '../store/types.js';
import {EditableThing} from './editable-thing.js';
import type {EditableViewProps} from './types.js';

const asIs = (thing: CellOrValue) => thing;
const NO_DEPS: readonly unknown[] = [];

/** An editor for one cell (debugIds has no effect). */
export function EditableCellView({
  tableId,
  rowId,
  cellId,
  store,
  className = 'editableCell',
  showType = true,
}: CellProps & EditableViewProps): ReactNode {
  const cell = useCell(tableId, rowId, cellId, store);
  const setCell = useSetCellCallback(tableId, rowId, cellId, asIs, NO_DEPS, store);
  return (
    <EditableThing thing={cell} onThingChange={setCell} className={className} showType={showType} />
  );
}

/** An editor for one value (debugIds has no effect). */
export function EditableValueView({
  valueId,
  store,
  className = 'editableValue',
  showType = true,
}: ValueProps & EditableViewProps): ReactNode {
  const value = useValue(valueId, store);
  const setValue = useSetValueCallback(valueId, asIs, NO_DEPS, store);
  return (
    <EditableThing
      thing={value}
      onThingChange={setValue}
      className={className}
      showType={showType}
    />
  );
}
