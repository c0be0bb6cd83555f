// The seed example, run as written (imports mapped to the source tree).
import {expect, test} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import {createLocalSynchronizer} from '../../src/synchronizers/synchronizer-local.js';

const waitFor = async (condition: () => boolean) => {
  for (let tries = 0; tries < 200 && !condition(); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

test('two local synchronizers keep two stores merged both ways', async () => {
  const store1 = createMergeableStore();
  const store2 = createMergeableStore();
  const synchronizer1 = createLocalSynchronizer(store1);
  const synchronizer2 = createLocalSynchronizer(store2);
  await synchronizer1.startSync();
  await synchronizer2.startSync();

  store1.setTables({pets: {fido: {species: 'dog'}}});
  await waitFor(() => store2.hasRow('pets', 'fido'));
  expect(store2.getTables()).toEqual({pets: {fido: {species: 'dog'}}});

  store2.setRow('pets', 'felix', {species: 'cat'});
  await waitFor(() => store1.hasRow('pets', 'felix'));
  expect(store1.getTables()).toEqual({pets: {fido: {species: 'dog'}, felix: {species: 'cat'}}});

  synchronizer1.destroy();
  synchronizer2.destroy();
  expect(store1.getMergeableContentHashes()).toEqual(store2.getMergeableContentHashes());
});
