// Limits per client (docs/protocol.md §6.9): what one socket may send, so that an abusive client
// is closed while everyone else keeps syncing. Each limit has a close code and a reason that goes
// to onIgnoredError: 1013 (try again later) for rates, channels and full rooms; 1009 (too big) for
// ids, values and nesting beyond their bounds; 1008 (policy) for too many refused writes of new ids.
import type {Id} from '../store/types.js';
import {utf8ByteLength} from '../synchronizers/ws/utf8.js';

/** createWsServer's `limits` option; every field is optional, 0 or Infinity turns one off. */
export type ClientLimits = {
  /** Frames per second per socket, as a token bucket holding 2 seconds' worth. Default 1000. */
  messagesPerSecond?: number;
  /** UTF-8 bytes per second per socket, a 2-second bucket too. Default 64 MiB. */
  bytesPerSecond?: number;
  /** Channels (rooms) one multiplexed socket may join; at most 100, as TinyBase. Default 100. */
  channelsPerSocket?: number;
  /** Clients in one room; the next one is closed. Default 1000. */
  clientsPerRoom?: number;
  /** UTF-8 bytes of any table, row, cell or value id in a message. Default 1024. */
  maxIdBytes?: number;
  /** UTF-8 bytes of any one cell or value (objects and arrays as their JSON). Default 4 MiB. */
  maxValueBytes?: number;
  /** Nesting of object and array cells and values (`{}` is 1, `[[1]]` is 2). Default 64. */
  maxDepth?: number;
  /**
   * Refused writes of ids a gated room never had, per client in a room: each costs the room a
   * correction tombstone (docs/protocol.md §6.8), so beyond this the client is closed. Default
   * 10,000.
   */
  refusedNewLeavesPerClient?: number;
};

export type ResolvedLimits = Required<ClientLimits>;

export const DEFAULT_LIMITS: ResolvedLimits = Object.freeze({
  messagesPerSecond: 1000,
  bytesPerSecond: 64 * 1024 * 1024,
  channelsPerSocket: 100,
  clientsPerRoom: 1000,
  maxIdBytes: 1024,
  maxValueBytes: 4 * 1024 * 1024,
  maxDepth: 64,
  refusedNewLeavesPerClient: 10_000,
});

/** Close code for traffic beyond a rate, a full room or too many channels. */
export const CLOSE_TRY_AGAIN_LATER = 1013;
/** Close code for an id, a value or a nesting beyond its bound. */
export const CLOSE_TOO_BIG = 1009;
/** Close code for a client that kept writing what it may not (1008, policy violation). */
const CLOSE_POLICY_VIOLATION = 1008;

export type LimitName =
  | 'messages'
  | 'bytes'
  | 'channels'
  | 'clients'
  | 'id'
  | 'value'
  | 'depth'
  | 'refused';

const CLOSE_CODES: Record<LimitName, number> = {
  messages: CLOSE_TRY_AGAIN_LATER,
  bytes: CLOSE_TRY_AGAIN_LATER,
  channels: CLOSE_TRY_AGAIN_LATER,
  clients: CLOSE_TRY_AGAIN_LATER,
  id: CLOSE_TOO_BIG,
  value: CLOSE_TOO_BIG,
  depth: CLOSE_TOO_BIG,
  refused: CLOSE_POLICY_VIOLATION,
};

/** A client went beyond a limit: the reason is `syncstore:limit:<name> <detail>`. */
export class LimitError extends Error {
  readonly limit: LimitName;
  readonly closeCode: number;
  constructor(limit: LimitName, detail: string) {
    super(`syncstore:limit:${limit} ${detail}`);
    this.name = 'LimitError';
    this.limit = limit;
    this.closeCode = CLOSE_CODES[limit];
  }
}

const isOff = (limit: number): boolean => limit === 0 || limit === Number.POSITIVE_INFINITY;

/** The limits in force: the defaults, overridden by what is given (0 or Infinity: no limit). */
export const resolveLimits = (limits: ClientLimits = {}): ResolvedLimits => {
  const resolved = {...DEFAULT_LIMITS};
  for (const [name, value] of Object.entries(limits) as [keyof ClientLimits, unknown][]) {
    if (value === undefined) {
      continue;
    }
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
      throw new TypeError(`limits.${name} must be a number of 0 or more`);
    }
    resolved[name] = isOff(value) ? Number.POSITIVE_INFINITY : value;
  }
  return resolved;
};

/**
 * A token bucket: `ratePerSecond` tokens a second, holding at most 2 seconds' worth, so a burst
 * (a big message in fragments, a pull after a reconnect) passes while a sustained flood does not.
 */
export class TokenBucket {
  readonly #rate: number;
  readonly #capacity: number;
  readonly #now: () => number;
  #tokens: number;
  #at: number;

  constructor(ratePerSecond: number, now: () => number = () => performance.now()) {
    this.#rate = ratePerSecond / 1000;
    this.#capacity = ratePerSecond * 2;
    this.#now = now;
    this.#tokens = this.#capacity;
    this.#at = now();
  }

  /** Takes `count` tokens if there are that many; false (nothing taken) otherwise. */
  take(count: number): boolean {
    if (this.#capacity === Number.POSITIVE_INFINITY) {
      return true;
    }
    const now = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#at) * this.#rate);
    this.#at = now;
    if (count > this.#tokens) {
      return false;
    }
    this.#tokens -= count;
    return true;
  }
}

/** One socket's rate limits. */
export class ClientRates {
  readonly #messages: TokenBucket;
  readonly #bytes: TokenBucket;
  readonly #limits: ResolvedLimits;

  constructor(limits: ResolvedLimits) {
    this.#limits = limits;
    this.#messages = new TokenBucket(limits.messagesPerSecond);
    this.#bytes = new TokenBucket(limits.bytesPerSecond);
  }

  /** Counts one incoming frame; the error if it goes beyond a rate. */
  admit(bytes: number): LimitError | undefined {
    if (!this.#messages.take(1)) {
      return new LimitError(
        'messages',
        `more than ${this.#limits.messagesPerSecond} messages a second`,
      );
    }
    if (!this.#bytes.take(bytes)) {
      return new LimitError('bytes', `more than ${this.#limits.bytesPerSecond} bytes a second`);
    }
    return undefined;
  }
}

/**
 * Checks a decoded message body against the id, value and depth limits. Bodies are stamp and
 * hash trees (§5.4): every object key in them is an id, every string a cell or value (or an HLC,
 * which is short), so a walk over the whole body needs no knowledge of the message type.
 */
export const checkContent = (body: unknown, limits: ResolvedLimits): LimitError | undefined => {
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const thing = stack.pop();
    if (typeof thing === 'string') {
      const error = checkString(thing, limits);
      if (error !== undefined) {
        return error;
      }
    } else if (Array.isArray(thing)) {
      for (const item of thing) {
        stack.push(item);
      }
    } else if (typeof thing === 'object' && thing !== null) {
      for (const id of Object.keys(thing)) {
        if (utf8ByteLength(id) > limits.maxIdBytes) {
          return new LimitError('id', `an id of over ${limits.maxIdBytes} bytes`);
        }
        stack.push((thing as Record<Id, unknown>)[id]);
      }
    }
  }
  return undefined;
};

const checkString = (text: string, limits: ResolvedLimits): LimitError | undefined => {
  // Cheap first: UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (text.length * 3 > limits.maxValueBytes && utf8ByteLength(text) > limits.maxValueBytes) {
    return new LimitError('value', `a cell or value of over ${limits.maxValueBytes} bytes`);
  }
  // An object or array cell travels as U+FFFD followed by its JSON (§1.1).
  if (text.charCodeAt(0) === 0xfffd && jsonDepth(text, 1) > limits.maxDepth) {
    return new LimitError('depth', `a cell or value nested over ${limits.maxDepth} deep`);
  }
  return undefined;
};

/** The deepest nesting of `[` and `{` in JSON text (outside strings), read from `start`. */
export const jsonDepth = (json: string, start = 0): number => {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = start; index < json.length; index++) {
    const code = json.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) {
        index++; // the escaped character
      } else if (code === 0x22) {
        inString = false;
      }
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth++;
      deepest = Math.max(deepest, depth);
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return deepest;
};
