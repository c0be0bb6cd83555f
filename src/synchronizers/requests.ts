// Requests awaiting a Response (docs/protocol.md §5.6, §7.3): at most 100 at once, each with a timeout.
//
// Timeouts that a big diff cannot outrun. A fixed short timeout fails large syncs in two ways, and
// each has its answer here:
// - In-process peers (Local, BroadcastChannel in one thread, a test bus) share one event loop. While
//   the responder computes a diff of a million cells the loop is blocked, and the requester's
//   timer, already overdue, would fire before the queued response. So a timer that fires late (the
//   loop was busy when it should have fired) gives the request one more full timeout instead of
//   failing: the response is most likely queued right behind it. And even a timer that fires only
//   a little late may have a response queued behind it (the process was descheduled for a few ms
//   while the responder answered), so a timeout is final only after one more macrotask turn, in
//   which any response already queued is delivered first.
// - Remote peers take real time to compute and transfer a large diff. There the caller scales the
//   timeout: the engine retries a failed pull with the timeout doubled each attempt (see
//   pull-runner.ts), so some attempt's timeout always exceeds what the content needs.

import {ErrorCode, SyncError} from './errors.js';
import {createRequestId} from './ids.js';
import {getMessageName} from './messages.js';
import type {Message} from './types.js';

const MAX_PENDING_REQUESTS = 100;
/** A timer firing later than this after its deadline means the event loop was busy. */
const LATE_FIRE_SLACK_MS = 10;
/** How many times one request may be granted another timeout because its timer fired late. */
const MAX_LATE_FIRE_EXTENSIONS = 50;

export type Response = {body: unknown; fromClientId: string};
type SendRequest = (
  toClientId: string | null,
  requestId: string,
  message: Message,
  body: unknown,
) => void;

type PendingRequest = {
  toClientId: string | null;
  resolve: (response: Response) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
};

export class PendingRequests {
  readonly #pending = new Map<string, PendingRequest>();
  readonly #send: SendRequest;

  constructor(send: SendRequest) {
    this.#send = send;
  }

  get size(): number {
    return this.#pending.size;
  }

  /**
   * Sends a request and resolves with the first acceptable Response. Rejects on timeout, when 100
   * requests are already pending, or when sending throws.
   */
  request(
    toClientId: string | null,
    message: Message,
    body: unknown,
    transactionId: string,
    timeoutMs: number,
  ): Promise<Response> {
    return new Promise((resolve, reject) => {
      if (this.#pending.size >= MAX_PENDING_REQUESTS) {
        reject(
          new SyncError(
            `${ErrorCode.Overflow}:requests`,
            `${MAX_PENDING_REQUESTS} requests are already awaiting responses; ${getMessageName(message)} not sent`,
          ),
        );
        return;
      }
      const requestId = createRequestId(transactionId);
      let extensions = 0;
      let graceTurnTaken = false;
      const onTimer = (armedAt: number) => {
        const lateBy = Date.now() - armedAt - timeoutMs;
        if (lateBy > LATE_FIRE_SLACK_MS && extensions < MAX_LATE_FIRE_EXTENSIONS) {
          extensions++;
          arm();
          return;
        }
        if (!graceTurnTaken) {
          graceTurnTaken = true;
          entry.timer = setTimeout(() => onTimer(armedAt), 0);
          return;
        }
        this.#pending.delete(requestId);
        const to = toClientId === null ? 'any peer' : `peer ${JSON.stringify(toClientId)}`;
        reject(
          new SyncError(
            `${ErrorCode.ResponseTimeout}:${toClientId ?? ''}.${requestId}.${message}`,
            `no response to ${getMessageName(message)} from ${to} within ${formatSeconds(timeoutMs)}`,
          ),
        );
      };
      const arm = () => {
        graceTurnTaken = false;
        const armedAt = Date.now();
        entry.timer = setTimeout(() => onTimer(armedAt), timeoutMs);
      };
      const entry: PendingRequest = {
        toClientId,
        resolve: (response) => {
          clearTimeout(entry.timer);
          this.#pending.delete(requestId);
          resolve(response);
        },
        reject,
        timer: undefined as unknown as ReturnType<typeof setTimeout>,
      };
      arm();
      this.#pending.set(requestId, entry);
      try {
        this.#send(toClientId, requestId, message, body);
      } catch (error) {
        clearTimeout(entry.timer);
        this.#pending.delete(requestId);
        reject(error);
      }
    });
  }

  /**
   * Resolves the request a Response answers. Accepted only if the request was broadcast or the
   * response comes from the peer it was addressed to; returns whether it was accepted.
   */
  handleResponse(fromClientId: string, requestId: string | null, body: unknown): boolean {
    if (requestId === null) {
      return false;
    }
    const entry = this.#pending.get(requestId);
    if (entry === undefined || (entry.toClientId !== null && entry.toClientId !== fromClientId)) {
      return false;
    }
    entry.resolve({body, fromClientId});
    return true;
  }

  /** Rejects every pending request with `error` (transport failure, destroy). */
  rejectAll(error: Error): void {
    const entries = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  }
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms) / 1000} s`;
}
