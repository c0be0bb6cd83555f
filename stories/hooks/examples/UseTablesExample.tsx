import {createMergeableStore} from '../../../src/index.js';
import {SynchronizerProvider, useStore, useTables} from '../../../src/react/index.js';

function AllTables() {
  // Re-renders whenever any cell of any table changes.
  const tables = useTables();
  return (
    <output aria-label="Tables">
      <pre>{JSON.stringify(tables, null, 1)}</pre>
    </output>
  );
}

function AddPet() {
  const store = useStore();
  return (
    <button type="button" onClick={() => store?.setRow('pets', 'felix', {species: 'cat'})}>
      Add Felix the cat
    </button>
  );
}

export function UseTablesExample() {
  return (
    <SynchronizerProvider
      createStore={() => createMergeableStore().setRow('pets', 'fido', {species: 'dog'})}
    >
      <AllTables />
      <AddPet />
    </SynchronizerProvider>
  );
}
