import type {ChangeEvent} from 'react';
import {createMergeableStore} from '../../../src/index.js';
import {SynchronizerProvider, useCell, useSetCellCallback} from '../../../src/react/index.js';

function PetName() {
  // Re-renders when this one cell changes.
  const name = useCell('pets', 'fido', 'name');
  const setName = useSetCellCallback(
    'pets',
    'fido',
    'name',
    (event: ChangeEvent<HTMLInputElement>) => event.target.value,
  );
  return (
    <>
      <label>
        Name <input value={String(name ?? '')} onChange={setName} />
      </label>
      <output aria-label="Greeting">Good dog, {String(name)}!</output>
    </>
  );
}

export function UseCellExample() {
  return (
    <SynchronizerProvider
      createStore={() => createMergeableStore().setCell('pets', 'fido', 'name', 'Fido')}
    >
      <PetName />
    </SynchronizerProvider>
  );
}
