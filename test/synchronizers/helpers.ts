// Shared test helpers: an in-memory message bus that records every message, a JSON "wire" copy
// like the WebSocket framing's, and a wait helper for real-timer tests.
import {vi} from 'vitest';
import {UNDEFINED_MARKER} from '../../src/store/cell.js';
import type {MergeableStore} from '../../src/store/types.js';
import {DeliveryQueue} from '../../src/synchronizers/delivery-queue.js';
import {MessageTooLarge} from '../../src/synchronizers/errors.js';
import {
  type CustomSynchronizer,
  type CustomSynchronizerOptions,
  createCustomSynchronizer,
} from '../../src/synchronizers/index.js';
import {getMessageName} from '../../src/synchronizers/messages.js';
import type {Receive, Send} from '../../src/synchronizers/types.js';

export const MESSAGE_SYMBOLS = [
  'RESPONSE',
  'GET_CONTENT_HASHES',
  'CONTENT_HASHES',
  'CONTENT_DIFF',
  'GET_TABLE_DIFF',
  'GET_ROW_DIFF',
  'GET_CELL_DIFF',
  'GET_VALUE_DIFF',
];

/** A copy of `body` as it would arrive over a JSON transport (undefined travels as U+FFFC). */
export function wireCopy<Body>(body: Body): Body {
  const text = JSON.stringify(body, (_key, value) =>
    value === undefined ? UNDEFINED_MARKER : value,
  );
  return JSON.parse(text, (_key, value) => (value === UNDEFINED_MARKER ? undefined : value));
}

/**
 * Throws MessageTooLarge, as a WebSocket transport does, when `body` as JSON is longer than
 * `maxMessageBytes` (no limit when undefined).
 */
export function refuseIfTooLarge(
  maxMessageBytes: number | undefined,
  message: number,
  body: unknown,
): void {
  if (maxMessageBytes === undefined) {
    return;
  }
  const bytes = JSON.stringify(body).length;
  if (bytes > maxMessageBytes) {
    throw new MessageTooLarge(getMessageName(message), bytes, maxMessageBytes);
  }
}

export type LoggedMessage = {
  from: string;
  to: string | null;
  requestId: string | null;
  message: number;
  body: unknown;
};

/** The transport functions createCustomSynchronizer takes, as one object. */
export type TestTransport = {
  send: Send;
  registerReceive: (receive: Receive) => void;
  destroy: () => void;
  /** What the bus has queued for this peer (an in-process transport, docs/protocol.md §7.3). */
  inbound?: DeliveryQueue;
};

/**
 * Peers join under a name; every message is logged, copied as over a wire, and delivered with
 * setTimeout(0) (so vitest's fake timers control it when they are on). Like the local
 * synchronizer, it tells each peer's engine what is queued for it.
 */
export class TestBus {
  readonly log: LoggedMessage[] = [];
  readonly peers = new Map<string, Receive>();
  readonly #queues = new Map<string, DeliveryQueue>();
  copyBodies = true;
  /** When set, a body longer than this as JSON is refused as a WebSocket transport would. */
  maxMessageBytes: number | undefined;

  join(name: string): TestTransport {
    const inbound = new DeliveryQueue();
    this.#queues.set(name, inbound);
    return {
      send: (to, requestId, message, body) => {
        refuseIfTooLarge(this.maxMessageBytes, message, body);
        this.log.push({from: name, to, requestId, message, body});
        const recipients = (
          to === null ? [...this.peers.keys()].filter((peer) => peer !== name) : [to]
        ).map((recipient) => ({recipient, queue: this.#queues.get(recipient)}));
        const places = recipients.map(({queue}) => queue?.enqueue());
        const delivered = this.copyBodies ? wireCopy(body) : body;
        setTimeout(() => {
          recipients.forEach(({recipient, queue}, index) => {
            try {
              this.peers.get(recipient)?.(name, requestId, message, delivered);
            } finally {
              queue?.settle(places[index]!);
            }
          });
        }, 0);
      },
      registerReceive: (receive) => {
        this.peers.set(name, receive);
      },
      destroy: () => {
        this.peers.delete(name);
      },
      inbound,
    };
  }

  /** `A→all GET_CONTENT_HASHES` style lines, one per logged message. */
  describe(): string[] {
    return this.log.map(
      ({from, to, message}) => `${from}→${to ?? 'all'} ${MESSAGE_SYMBOLS[message] ?? message}`,
    );
  }

  clear(): void {
    this.log.length = 0;
  }
}

/** A syncstore synchronizer for `store`, joined to `bus` under `name`. */
export function joinBus(
  bus: TestBus,
  name: string,
  store: MergeableStore,
  {
    timeoutSeconds = 1,
    onIgnoredError,
    options,
  }: {
    timeoutSeconds?: number;
    onIgnoredError?: (error: Error) => void;
    options?: CustomSynchronizerOptions;
  } = {},
): CustomSynchronizer {
  const {send, registerReceive, destroy, inbound} = bus.join(name);
  return createCustomSynchronizer(
    store,
    send,
    registerReceive,
    destroy,
    timeoutSeconds,
    undefined,
    undefined,
    onIgnoredError,
    {inbound, ...options},
  );
}

/** Polls `condition` with real timers until it holds (or gives up after ~5 s). */
export async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Lets every pending setTimeout(0) delivery and microtask run (real timers). */
export async function settle(rounds = 20): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/**
 * JSON with object keys sorted: content compared as a wire carries it (-0 travels as 0, as in
 * TinyBase) and regardless of the order in which ids were first seen.
 */
export function canonicalJson(thing: unknown): string {
  return JSON.stringify(thing, (_key, value) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, value[key]]),
        )
      : value,
  );
}

/** Runs `action` under fake timers, letting them run until nothing is left to do. */
export async function runAllTimers<Result>(
  action: () => Promise<Result> | Result,
): Promise<Result> {
  const promise = Promise.resolve(action());
  await vi.runAllTimersAsync();
  return promise;
}
