// The published shape: every subpath in package.json "exports" builds (vite library mode) and its
// module exports what the README documents, with no import of tinybase anywhere in the output.
import {readdirSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'vite';
import {beforeAll, describe, expect, test} from 'vitest';
import {tinybaseSubpaths} from '../vite.config.js';

const ROOT = join(import.meta.dirname, '..');
const OUT_DIR = join(ROOT, '.tmp', 'package-test-dist');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

const EXPECTED_EXPORTS: Record<string, string[]> = {
  '.': [
    'createCheckpoints',
    'createIndexes',
    'createMetrics',
    'createRelationships',
    'createMergeableStore',
    'createStore',
    'defaultSorter',
    'getUniqueId',
    'getHlcFunctions',
    'getHash',
    'getCellHash',
    'getCellInRowHash',
    'getRowHash',
    'getRowInTableHash',
    'getTableHash',
    'getTableInTablesHash',
    'getTablesHash',
    'getValueHash',
    'getValueInValuesHash',
    'getValuesHash',
    'addOrRemoveHash',
  ],
  './with-schemas': ['createMergeableStore'],
  './synchronizers': [
    'createCustomSynchronizer',
    'Message',
    'Status',
    'validateMessage',
    'createSynchronizerOwner',
    'watchFirstSync',
  ],
  './synchronizers/synchronizer-local': ['createLocalSynchronizer'],
  './synchronizers/synchronizer-broadcast-channel': ['createBroadcastChannelSynchronizer'],
  './synchronizers/synchronizer-ws-client': ['createWsSynchronizer'],
  './synchronizers/synchronizer-ws-server': [
    'createWsServer',
    'createWsServerSimple',
    'createSqliteStorage',
    'createPostgresStorage',
  ],
  './synchronizers/synchronizer-ws-server-simple': ['createWsServerSimple'],
  './persisters/persister-indexed-db': ['createIndexedDbPersister'],
  './react': [
    'Provider',
    'SynchronizerProvider',
    'useRow',
    'useTables',
    'useCell',
    'useValue',
    'useSortedRowIds',
    'useAddRowCallback',
    'useSyncStatus',
    'useMyPresence',
    'useOthers',
    'FirstSync',
    'useFirstSync',
    'useIsFirstSyncDone',
    'useCreateStore',
    'useCreateMergeableStore',
    'useCreateSynchronizer',
    'useCreatePersister',
    'useProvideStore',
    'useProvideSynchronizer',
    'useProvidePersister',
    'usePersister',
    'usePersisterIds',
    'usePersisterOrPersisterById',
    'usePersisterStatus',
    'usePersisterStatusListener',
    'useCreateCheckpoints',
    'useCheckpointIds',
    'useUndoInformation',
    'useRedoInformation',
    'CheckpointView',
  ],
  './react-dom': [
    'TableInHtmlTable',
    'SortedTableInHtmlTable',
    'ValuesInHtmlTable',
    'EditableCellView',
    'EditableValueView',
    'SortedTablePaginator',
    'SliceInHtmlTable',
    'RelationshipInHtmlTable',
  ],
  './react-inspector': ['Inspector', 'createMessageLog', 'messageBytes'],
  './react/with-schemas': ['Provider', 'SynchronizerProvider', 'useCell', 'useSetCellCallback'],
};

describe('package exports', () => {
  beforeAll(async () => {
    await build({
      configFile: join(ROOT, 'vite.config.ts'),
      logLevel: 'silent',
      build: {outDir: OUT_DIR, emptyOutDir: true, sourcemap: false},
    });
  }, 120_000);

  test('every documented subpath is exported, and nothing else', () => {
    const subpaths = Object.keys(packageJson.exports).filter(
      (key) => key !== './package.json' && !(key.slice(2) in tinybaseSubpaths),
    );
    expect(subpaths.sort()).toEqual(Object.keys(EXPECTED_EXPORTS).sort());
  });

  test.each(Object.entries(tinybaseSubpaths))(
    "TinyBase's subpath ./%s is syncstore's %s",
    (alias, entry) => {
      const target = entry === 'index' ? '.' : `./${entry.replace(/\/index$/, '')}`;
      expect(packageJson.exports[`./${alias}`]).toEqual(packageJson.exports[target]);
      expect(EXPECTED_EXPORTS[target], target).toBeDefined();
    },
  );

  test.each(Object.entries(EXPECTED_EXPORTS))('%s exports %j', async (subpath, names) => {
    const target = packageJson.exports[subpath].import as string;
    const file = join(OUT_DIR, target.replace('./dist/', ''));
    const module = await import(pathToFileURL(file).href);
    for (const name of names) {
      expect(module[name], name).toBeDefined();
    }
  });

  test('the build never imports tinybase, and browser entries never import Node built-ins', () => {
    const files = readdirSync(OUT_DIR, {recursive: true, encoding: 'utf8'}).filter((name) =>
      name.endsWith('.js'),
    );
    expect(files.length).toBeGreaterThan(5);
    const importsOf = (name: string) =>
      [...readFileSync(join(OUT_DIR, name), 'utf8').matchAll(/from\s*["']([^"']+)["']/g)].map(
        (match) => match[1],
      );
    for (const name of files) {
      expect(importsOf(name).filter((specifier) => specifier.startsWith('tinybase'))).toEqual([]);
    }
    // Follow the relative imports of each browser entry through the shared chunks.
    const bareImportsReachableFrom = (entry: string): string[] => {
      const seen = new Set<string>();
      const bare = new Set<string>();
      const visit = (name: string) => {
        if (seen.has(name)) {
          return;
        }
        seen.add(name);
        for (const specifier of importsOf(name)) {
          if (specifier.startsWith('.')) {
            visit(join(dirname(name), specifier));
          } else {
            bare.add(specifier);
          }
        }
      };
      visit(entry);
      return [...bare];
    };
    for (const entry of [
      'index.js',
      'synchronizers/synchronizer-ws-client.js',
      'react.js',
      'react-dom.js',
      'react-inspector.js',
    ]) {
      const bare = bareImportsReachableFrom(entry);
      expect(
        bare.filter((specifier) => specifier.startsWith('node:') || specifier === 'ws'),
      ).toEqual([]);
    }
  });
});
