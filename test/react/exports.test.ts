// syncstore/react exports every name of TinyBase's ui-react that belongs to stores,
// synchronizers, persisters and checkpoints, with the same kind (function or not). Indexes,
// metrics, queries and relationships hooks and views are out of scope and listed by family.
import * as tinybaseUi from 'tinybase/ui-react';
import {expect, test} from 'vitest';
import * as syncstoreUi from '../../src/react/index.js';

const OUT_OF_SCOPE =
  /Index|Slice|Metric|Relationship|RemoteRow|LocalRow|LinkedRow|Quer|Result|ParamValue/;

test('every in-scope TinyBase ui-react export is in syncstore/react, and of the same kind', () => {
  const inScope = Object.keys(tinybaseUi).filter((name) => !OUT_OF_SCOPE.test(name));
  // A sanity check that the filter keeps the store, synchronizer and persister names.
  expect(inScope).toEqual(
    expect.arrayContaining([
      'Provider',
      'useCreatePersister',
      'useProvideStore',
      'useSortedRowIds',
    ]),
  );
  const ours = syncstoreUi as Record<string, unknown>;
  const theirs = tinybaseUi as Record<string, unknown>;
  const missing = inScope.filter((name) => typeof ours[name] !== typeof theirs[name]);
  expect(missing).toEqual([]);
});
