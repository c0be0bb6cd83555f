// The sync server behind `npm start`, switched off and on again without touching the demo page's
// server: so a user can stop only the sync server, keep editing, reload the page (still served)
// and start the sync server again on the same port, as the page tells them to.
import type {RunningServer} from './demo-servers.js';

export type SyncServerSwitch = {
  /** The running server, or undefined while switched off. */
  current(): RunningServer | undefined;
  /** Stops a running server or starts a stopped one; resolves with what it is now. */
  toggle(): Promise<'stopped' | 'running'>;
  /** Stops the server for good (Ctrl+C). */
  stop(): Promise<void>;
};

/**
 * Wraps `start` (which must start the server on the same port each time, so pages reconnect to
 * the URL they were given). `onUnexpectedExit` is called when the server exits without being
 * switched off or stopped.
 */
export const createSyncServerSwitch = async (
  start: () => Promise<RunningServer>,
  onUnexpectedExit: () => void,
): Promise<SyncServerSwitch> => {
  let server: RunningServer | undefined;
  // One toggle at a time: a second key press waits for the first to finish.
  let busy: Promise<unknown> = Promise.resolve();

  const run = async () => {
    const started = await start();
    server = started;
    void started.exited.then(() => {
      if (server === started) {
        server = undefined;
        onUnexpectedExit();
      }
    });
  };
  const halt = async () => {
    const stopping = server;
    server = undefined;
    await stopping?.stop();
  };

  await run();
  return {
    current: () => server,
    toggle: () => {
      const next = busy.then(async () => {
        if (server === undefined) {
          await run();
          return 'running' as const;
        }
        await halt();
        return 'stopped' as const;
      });
      busy = next.catch(() => {});
      return next;
    },
    stop: async () => {
      await busy;
      await halt();
    },
  };
};
