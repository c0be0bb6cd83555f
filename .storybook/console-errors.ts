// Fails a story's test when anything logs an error to the browser console while it renders and
// plays: a story that works but logs errors (React warnings, failed requests) is not done.

type Logged = unknown[];

let errorsOfCurrentStory: Logged[] = [];

/** Starts collecting console errors and uncaught errors; returns the cleanup that stops it. */
export const collectConsoleErrors = (): (() => void) => {
  errorsOfCurrentStory = [];
  const originalError = console.error;
  console.error = (...args: unknown[]) => {
    errorsOfCurrentStory.push(args);
    originalError.apply(console, args);
  };
  const onError = (event: ErrorEvent) => errorsOfCurrentStory.push([event.error ?? event.message]);
  const onRejection = (event: PromiseRejectionEvent) => errorsOfCurrentStory.push([event.reason]);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return () => {
    console.error = originalError;
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  };
};

/** Throws when the current story logged an error, naming what it logged. */
export const expectNoConsoleErrors = (): void => {
  if (errorsOfCurrentStory.length === 0) return;
  const lines = errorsOfCurrentStory.map((args) => args.map(describe).join(' '));
  throw new Error(`The story logged ${lines.length} console error(s):\n${lines.join('\n')}`);
};

const describe = (thing: unknown): string =>
  thing instanceof Error ? `${thing.name}: ${thing.message}` : String(thing);
