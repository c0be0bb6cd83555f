import {createMergeableStore} from '../../../src/index.js';
import {SynchronizerProvider, useSetValueCallback, useValue} from '../../../src/react/index.js';

function ThemeSwitch() {
  // Values are the store's key-value half, next to its tables.
  const theme = useValue('theme');
  const toggle = useSetValueCallback('theme', (_event, store) =>
    store.getValue('theme') === 'dark' ? 'light' : 'dark',
  );
  return (
    <button type="button" onClick={toggle}>
      Theme: {String(theme)}
    </button>
  );
}

export function UseValueExample() {
  return (
    <SynchronizerProvider createStore={() => createMergeableStore().setValue('theme', 'light')}>
      <ThemeSwitch />
    </SynchronizerProvider>
  );
}
