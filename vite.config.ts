// Library build: one entry per public subpath (package.json "exports"), ESM only. Dependencies
// and Node built-ins stay external so that apps bundle them once.
import {builtinModules} from 'node:module';
import {defineConfig} from 'vite';

export const entries: Record<string, string> = {
  index: 'src/index.ts',
  'with-schemas': 'src/with-schemas.ts',
  'synchronizers/index': 'src/synchronizers/index.ts',
  'synchronizers/synchronizer-local': 'src/synchronizers/synchronizer-local.ts',
  'synchronizers/synchronizer-broadcast-channel':
    'src/synchronizers/synchronizer-broadcast-channel.ts',
  'synchronizers/synchronizer-ws-client': 'src/synchronizers/synchronizer-ws-client.ts',
  'synchronizers/synchronizer-ws-server': 'src/server/index.ts',
  'synchronizers/synchronizer-ws-server-simple': 'src/server/ws-server-simple.ts',
  'persisters/persister-indexed-db': 'src/persisters/persister-indexed-db.ts',
  react: 'src/react/index.ts',
  'react-dom': 'src/react-dom/index.ts',
  'react-inspector': 'src/react-inspector/index.ts',
  'react/with-schemas': 'src/react/with-schemas.ts',
  'server-cli': 'src/server/cli.ts',
};

/**
 * TinyBase's subpath names, each answered by one of the entries above, so that renaming `tinybase`
 * to `syncstore` in an import is all an app needs (package.json "exports" lists them too).
 * `.../with-schemas` of a module without typed variants here is the module itself.
 */
export const tinybaseSubpaths: Record<string, string> = {
  store: 'index',
  checkpoints: 'index',
  'checkpoints/with-schemas': 'with-schemas',
  indexes: 'index',
  'indexes/with-schemas': 'with-schemas',
  metrics: 'index',
  'metrics/with-schemas': 'with-schemas',
  relationships: 'index',
  'relationships/with-schemas': 'with-schemas',
  'store/with-schemas': 'with-schemas',
  'mergeable-store': 'index',
  'mergeable-store/with-schemas': 'with-schemas',
  'ui-react': 'react',
  'ui-react/with-schemas': 'react/with-schemas',
  'ui-react-dom': 'react-dom',
  'ui-react-dom/with-schemas': 'react-dom',
  'react-dom/with-schemas': 'react-dom',
  'ui-react-inspector': 'react-inspector',
  'ui-react-inspector/with-schemas': 'react-inspector',
  'synchronizers/with-schemas': 'synchronizers/index',
  'synchronizers/synchronizer-local/with-schemas': 'synchronizers/synchronizer-local',
  'synchronizers/synchronizer-broadcast-channel/with-schemas':
    'synchronizers/synchronizer-broadcast-channel',
  'synchronizers/synchronizer-ws-client/with-schemas': 'synchronizers/synchronizer-ws-client',
  'synchronizers/synchronizer-ws-server/with-schemas': 'synchronizers/synchronizer-ws-server',
  'synchronizers/synchronizer-ws-server-simple/with-schemas':
    'synchronizers/synchronizer-ws-server-simple',
  'persisters/persister-indexed-db/with-schemas': 'persisters/persister-indexed-db',
};

const external = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  'ws',
  'better-sqlite3',
  'pg',
  'ioredis',
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
];

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    minify: false,
    sourcemap: true,
    target: 'es2022',
    lib: {entry: entries, formats: ['es']},
    rolldownOptions: {external, output: {entryFileNames: '[name].js'}},
  },
});
