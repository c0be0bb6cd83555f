#!/usr/bin/env node
// syncstore-server: runs the built CLI (dist/server-cli.js). In a source checkout that has not been
// built, it runs the TypeScript source through tsx instead.
const builtCli = new URL('../dist/server-cli.js', import.meta.url);

const loadCli = async () => {
  try {
    return await import(builtCli.href);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('server-cli')) {
      throw error;
    }
    const {register} = await import('tsx/esm/api');
    register();
    return import(new URL('../src/server/cli.ts', import.meta.url).href);
  }
};

const cli = await loadCli();
await cli.main(process.argv.slice(2));
