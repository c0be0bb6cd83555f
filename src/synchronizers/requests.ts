// Requests awaiting a Response (docs/protocol.md §5.6, §7.3): at most 100 at once, each with a timeout.
//
// A timeout measures time in which the peer could have answered, whatever the timers do. Each
// pending request waits for one of:
// - its answer: a Response with its request id, from the peer it was addressed to (from any peer
//   for a broadcast);
// - first, for its own frame to be written out (outbound.ts): a request queued behind megabytes in
//   this client's socket has not reached the peer, which cannot answer it yet;
// - its deadline, counted from when it was written out or from the last message from the addressee
//   (from any peer, for a broadcast, which any of them may answer), whichever is later: a peer that is sending (the parts of a large diff, another answer, the
//   fragments of this one as the transport reports them) is alive and busy, not gone. The
//   deadline is the caller's timeout, or twice the longest that peer (for a broadcast: any peer
//   lately heard) has taken to answer (even an answer that came too late for its own request): a peer that took 3 s to compute a large diff
//   is not asked again after 1 s while it computes the same answer;
// - once the deadline has passed, the messages an in-process transport had already queued for this
//   synchronizer at that moment (delivery-queue.ts): in one thread a peer computing a large diff
//   blocks the loop, so the deadline is seen late and the answer is most likely among them.
//   Only then is the timeout final.
// Beyond that the caller scales the timeout: the engine retries a failed pull with the timeout
// doubled each attempt (pull-runner.ts), so some attempt's timeout always exceeds what the content
// needs.

import type {InboundQueue} from './delivery-queue.js';
import {ErrorCode, SyncError} from './errors.js';
import {createRequestId} from './ids.js';
import {getMessageName} from './messages.js';
import {NOTHING_WAITING_TO_SEND, type OutboundQueue} from './outbound.js';
import type {Message} from './types.js';

const MAX_PENDING_REQUESTS = 100;
/** A request to a peer waits at least this many times the longest that peer took to answer. */
const ANSWER_TIME_FACTOR = 2;
/** How many peers' answer times are remembered (the most recently heard). */
const MAX_REMEMBERED_PEERS = 100;

export type Response = {body: unknown; fromClientId: string};
type SendRequest = (
  toClientId: string | null,
  requestId: string,
  message: Message,
  body: unknown,
) => void;

/** What a pending request is waiting for, besides its answer (see the top of this module). */
type Waiting =
  | {for: 'its frame to be written out'; cancel: () => void}
  | {for: 'deadline'; timer: ReturnType<typeof setTimeout>}
  | {for: 'queued messages'; cancel: () => void};

type PendingRequest = {
  toClientId: string | null;
  timeoutMs: number;
  sentAt: number;
  waiting: Waiting;
  resolve: (response: Response) => void;
  /** The deadline passed and nothing queued answered it. */
  timeOut: () => void;
  reject: (error: Error) => void;
};

/** No transport queue: the deadline is final when seen. */
const NOTHING_QUEUED: InboundQueue = {
  afterQueued: (callback) => {
    callback();
    return () => {};
  },
};

export class PendingRequests {
  readonly #pending = new Map<string, PendingRequest>();
  readonly #send: SendRequest;
  readonly #inbound: InboundQueue;
  readonly #outbound: OutboundQueue;
  /** The longest each peer took to answer, most recently heard last (see #timeoutFor). */
  readonly #slowestAnswerMs = new Map<string, number>();
  /**
   * Broadcast requests answered lately that want to hear later answers too, by id (see request's
   * `onLaterAnswer`), the most recent last.
   */
  readonly #answeredBroadcasts = new Map<string, (response: Response) => void>();
  /** Requests that timed out lately, by id: a late answer still tells how slow the peer is. */
  readonly #timedOut = new Map<string, {toClientId: string | null; sentAt: number}>();

  constructor(
    send: SendRequest,
    inbound: InboundQueue = NOTHING_QUEUED,
    outbound: OutboundQueue = NOTHING_WAITING_TO_SEND,
  ) {
    this.#send = send;
    this.#inbound = inbound;
    this.#outbound = outbound;
  }

  get size(): number {
    return this.#pending.size;
  }

  /**
   * Sends a request and resolves with the first acceptable Response. Rejects on timeout, when 100
   * requests are already pending, or when sending throws. A broadcast's later answers, from other
   * peers, go to `onLaterAnswer` (for one of the last 100 broadcasts answered).
   */
  request(
    toClientId: string | null,
    message: Message,
    body: unknown,
    transactionId: string,
    timeoutMs: number,
    onLaterAnswer?: (response: Response) => void,
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
      const entry: PendingRequest = {
        toClientId,
        timeoutMs: this.#timeoutFor(toClientId, timeoutMs),
        sentAt: Date.now(),
        waiting: {for: 'its frame to be written out', cancel: () => {}},
        resolve: (response) => {
          this.#finish(requestId, entry);
          if (toClientId === null && onLaterAnswer !== undefined) {
            this.#rememberAnswered(requestId, onLaterAnswer);
          }
          resolve(response);
        },
        timeOut: () => {
          this.#finish(requestId, entry);
          this.#rememberTimedOut(requestId, entry);
          const to = toClientId === null ? 'any peer' : `peer ${JSON.stringify(toClientId)}`;
          reject(
            new SyncError(
              `${ErrorCode.ResponseTimeout}:${toClientId ?? ''}.${requestId}.${message}`,
              `no response to ${getMessageName(message)} from ${to} within ${formatSeconds(entry.timeoutMs)}`,
            ),
          );
        },
        reject,
      };
      this.#pending.set(requestId, entry);
      try {
        this.#send(toClientId, requestId, message, body);
      } catch (error) {
        this.#finish(requestId, entry);
        reject(error);
        return;
      }
      this.#awaitWrittenOut(entry);
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
    const onLaterAnswer = entry === undefined ? this.#answeredBroadcasts.get(requestId) : undefined;
    if (onLaterAnswer !== undefined) {
      onLaterAnswer({body, fromClientId});
      return true;
    }
    if (entry === undefined) {
      // Too late for its request, but the next ones to this peer will wait long enough.
      const timedOut = this.#takeTimedOut(requestId);
      if (timedOut?.toClientId === fromClientId) {
        this.#noteAnswerTime(fromClientId, Date.now() - timedOut.sentAt);
      }
      return false;
    }
    if (entry.toClientId !== null && entry.toClientId !== fromClientId) {
      return false;
    }
    this.#noteAnswerTime(fromClientId, Date.now() - entry.sentAt);
    entry.resolve({body, fromClientId});
    return true;
  }

  /**
   * Something arrived from `peerId` (a message, or part of one): the requests addressed to it, and
   * the broadcasts (it may be answering one), get their full timeout again, counted from now.
   */
  noteTrafficFrom(peerId: string): void {
    for (const entry of this.#pending.values()) {
      // (A request still in this client's queue cannot have been heard yet: it keeps waiting.)
      const addressed = entry.toClientId === peerId || entry.toClientId === null;
      if (addressed && entry.waiting.for !== 'its frame to be written out') {
        this.#stopWaiting(entry);
        this.#armDeadline(entry);
      }
    }
  }

  /** Rejects every pending request with `error` (transport failure, destroy). */
  rejectAll(error: Error): void {
    const entries = [...this.#pending.values()];
    this.#pending.clear();
    this.#answeredBroadcasts.clear();
    for (const entry of entries) {
      this.#stopWaiting(entry);
      entry.reject(error);
    }
  }

  /**
   * A peer that once took long to answer (a large diff to compute or transfer) is given as long
   * again, twice over, rather than timed out and asked again while it still sends the answer.
   */
  #timeoutFor(toClientId: string | null, timeoutMs: number): number {
    const slowest =
      toClientId === null
        ? Math.max(0, ...this.#slowestAnswerMs.values())
        : this.#slowestAnswerMs.get(toClientId);
    return slowest === undefined ? timeoutMs : Math.max(timeoutMs, ANSWER_TIME_FACTOR * slowest);
  }

  #rememberAnswered(requestId: string, onLaterAnswer: (response: Response) => void): void {
    this.#answeredBroadcasts.set(requestId, onLaterAnswer);
    if (this.#answeredBroadcasts.size > MAX_PENDING_REQUESTS) {
      this.#answeredBroadcasts.delete(this.#answeredBroadcasts.keys().next().value!);
    }
  }

  #rememberTimedOut(requestId: string, {toClientId, sentAt}: PendingRequest): void {
    this.#timedOut.set(requestId, {toClientId, sentAt});
    if (this.#timedOut.size > MAX_PENDING_REQUESTS) {
      this.#timedOut.delete(this.#timedOut.keys().next().value!);
    }
  }

  #takeTimedOut(requestId: string): {toClientId: string | null; sentAt: number} | undefined {
    const timedOut = this.#timedOut.get(requestId);
    this.#timedOut.delete(requestId);
    return timedOut;
  }

  #noteAnswerTime(peerId: string, elapsedMs: number): void {
    const slowest = Math.max(elapsedMs, this.#slowestAnswerMs.get(peerId) ?? 0);
    this.#slowestAnswerMs.delete(peerId);
    this.#slowestAnswerMs.set(peerId, slowest);
    if (this.#slowestAnswerMs.size > MAX_REMEMBERED_PEERS) {
      this.#slowestAnswerMs.delete(this.#slowestAnswerMs.keys().next().value!);
    }
  }

  /** Waits for the request's frame to leave this client, then arms its deadline from then. */
  #awaitWrittenOut(entry: PendingRequest): void {
    const waiting: Waiting = {for: 'its frame to be written out', cancel: () => {}};
    entry.waiting = waiting;
    // (It may call back at once, before the cancel function is returned.)
    const cancel = this.#outbound.afterSent(() => {
      if (entry.waiting === waiting) {
        entry.sentAt = Date.now();
        this.#armDeadline(entry);
      }
    });
    if (entry.waiting === waiting) {
      waiting.cancel = cancel;
    }
  }

  #armDeadline(entry: PendingRequest): void {
    entry.waiting = {
      for: 'deadline',
      timer: setTimeout(() => this.#onDeadline(entry), entry.timeoutMs),
    };
  }

  /** The deadline passed: final once what is already queued for this peer has been delivered. */
  #onDeadline(entry: PendingRequest): void {
    const waiting: Waiting = {for: 'queued messages', cancel: () => {}};
    entry.waiting = waiting;
    const cancel = this.#inbound.afterQueued(() => {
      // Still waiting for these messages (neither answered nor re-armed by them): time out.
      if (entry.waiting === waiting) {
        entry.timeOut();
      }
    });
    waiting.cancel = cancel;
  }

  #stopWaiting(entry: PendingRequest): void {
    if (entry.waiting.for === 'deadline') {
      clearTimeout(entry.waiting.timer);
    } else {
      entry.waiting.cancel();
    }
  }

  #finish(requestId: string, entry: PendingRequest): void {
    this.#stopWaiting(entry);
    this.#pending.delete(requestId);
  }
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms) / 1000} s`;
}
