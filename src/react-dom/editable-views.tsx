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

/**
 * An editor for one cell: a button showing its type, which cycles the type, and an input for
 * its content (text, number, checkbox, or JSON for objects and arrays); edits write to the store.
 * A missing or null cell gets an empty `<div>`. debugIds has no effect.
 *
 * @example
 * <EditableCellView tableId="pets" rowId="fido" cellId="color" />
 * // <div class="editableCell"><button title="string" class="string">string</button>
 * // <input value="brown"></div>
 */
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

/**
 * An editor for one value, as EditableCellView is for a cell.
 *
 * @example
 * <EditableValueView valueId="employees" />
 * // <div class="editableValue"><button title="number" class="number">number</button>
 * // <input type="number" value="3"></div>
 */
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
