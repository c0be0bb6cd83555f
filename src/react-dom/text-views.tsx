// The default, read-only cells and values of the HTML tables. They show what TinyBase's CellView
// and ValueView show: the thing as text, and nothing for a missing or null one. (syncstore/react's
// CellView and ValueView show "null" for null; when they match TinyBase, these can be replaced by
// them.)
import type {ReactNode} from 'react';
import {useCell, useValue} from '../react/store-hooks.js';
import type {CellProps, ValueProps} from '../react/views.js';
import type {CellOrValue} from '../store/types.js';

function text(thing: CellOrValue | undefined): string {
  return thing === undefined || thing === null ? '' : String(thing);
}

export function CellText({tableId, rowId, cellId, store}: CellProps): ReactNode {
  return text(useCell(tableId, rowId, cellId, store));
}

export function ValueText({valueId, store}: ValueProps): ReactNode {
  return text(useValue(valueId, store));
}
