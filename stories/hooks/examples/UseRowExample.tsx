import {createMergeableStore} from '../../../src/index.js';
import {SynchronizerProvider, useRow, useSetPartialRowCallback} from '../../../src/react/index.js';

function Pet({petId}: {petId: string}) {
  // Re-renders when a cell of this row changes, and only then.
  const pet = useRow('pets', petId);
  const celebrate = useSetPartialRowCallback('pets', petId, (_event, store) => ({
    age: Number(store.getCell('pets', petId, 'age') ?? 0) + 1,
    mood: 'happy',
  }));
  return (
    <div>
      <output aria-label="Row">
        {petId}:{' '}
        {Object.entries(pet)
          .map(([cellId, cell]) => `${cellId}=${String(cell)}`)
          .join(', ')}
      </output>
      <button type="button" onClick={celebrate}>
        Birthday
      </button>
    </div>
  );
}

export function UseRowExample() {
  return (
    <SynchronizerProvider
      createStore={() => createMergeableStore().setRow('pets', 'fido', {species: 'dog', age: 3})}
    >
      <Pet petId="fido" />
    </SynchronizerProvider>
  );
}
