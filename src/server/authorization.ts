// Who may join a room, and what each client may write there (docs/protocol.md §6.8). The names and
// signatures are TinyBase 10.1's: `authorize(pathId, request)` admits with a ClientAccess or
// refuses with undefined; `canWriteCell` and `canWriteValue` decide per leaf, synchronously.
import type {IncomingMessage} from 'node:http';
import type {Cell, Id, Value} from '../store/types.js';
import {toError} from '../synchronizers/errors.js';

/** What an app's authorize function learned about a client, for canWriteCell/canWriteValue. */
// biome-ignore lint/suspicious/noExplicitAny: the app decides what its context holds.
export type AccessContext = {[key: string]: any};

/** How an admitted client may use a room. */
export type ClientAccess = {
  /** True: the client receives everything and changes nothing. */
  readOnly?: boolean;
  /** Handed to canWriteCell and canWriteValue for each leaf this client writes. */
  context?: AccessContext;
};

/**
 * Decides whether a client may join the room at `pathId`: a ClientAccess admits it, undefined
 * refuses it (the socket is closed with 1008), and so does a throw or a rejected promise. It may
 * be async; the client's messages wait, in order, until it settles.
 */
export type Authorize = (
  pathId: Id,
  request: IncomingMessage,
) => ClientAccess | undefined | Promise<ClientAccess | undefined>;

/** Whether a client may write one cell (`cell` undefined: a deletion). Synchronous. */
export type CanWriteCell = (
  pathId: Id,
  tableId: Id,
  rowId: Id,
  cellId: Id,
  cell: Cell | undefined,
  context: AccessContext | undefined,
) => boolean;

/** Whether a client may write one value (`value` undefined: a deletion). Synchronous. */
export type CanWriteValue = (
  pathId: Id,
  valueId: Id,
  value: Value | undefined,
  context: AccessContext | undefined,
) => boolean;

/** The access of a client admitted without any authorize function. */
export const WRITABLE: ClientAccess = Object.freeze({});

/** Close code of a client that authorize refused (policy violation). */
export const CLOSE_POLICY = 1008;

/**
 * Runs the app's authorize for one path. Anything but an object (undefined, false, a number) is
 * a refusal, and so is a throw: the error goes to `reportError` and the client is refused, since
 * admitting it on a failure would open the room to anyone who can make the check fail.
 */
export const decideAccess = async (
  authorize: Authorize | undefined,
  pathId: Id,
  request: IncomingMessage,
  reportError: (error: Error) => void,
): Promise<ClientAccess | undefined> => {
  if (authorize === undefined) {
    return WRITABLE;
  }
  try {
    const access = await authorize(pathId, request);
    return typeof access === 'object' && access !== null ? access : undefined;
  } catch (error) {
    reportError(toError(error));
    return undefined;
  }
};

/** The error reported (and sent as the close reason) when a client is refused a path. */
export const refusedError = (pathId: Id): Error =>
  new Error(`refused by authorize: room ${JSON.stringify(pathId)}`);
