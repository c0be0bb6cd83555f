// Questions a client feature asks the server over extension frames (docs/protocol.md §8.5, §8.6):
// `[feature, type, {id, ...}]` up, and an answer of the same type carrying the same id down, or
// `{id, error}`. Each question waits at most its timeout; as for base requests (requests.ts), a
// timer that fires late because the event loop was busy (a server in the same process computing a
// big answer) grants one more full timeout. Every timer is cleared on answer, on loss of the link
// and on destroy.
import {createRandomId} from '../ids.js';

/** A timer firing later than this after its deadline means the event loop was busy. */
const LATE_FIRE_SLACK_MS = 10;
const MAX_LATE_FIRE_EXTENSIONS = 50;

type Pending = {
  resolve: (body: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
};

/** Sends one extension frame; false when the feature cannot be used now. */
export type SendFrame = (type: string, body: unknown) => boolean;

export class ExtensionRequests {
  readonly #feature: string;
  readonly #send: SendFrame;
  readonly #pending = new Map<string, Pending>();

  constructor(feature: string, send: SendFrame) {
    this.#feature = feature;
    this.#send = send;
  }

  /** Asks `type` with `body` (an id is added) and resolves with the answer's body. */
  request(
    type: string,
    body: Record<string, unknown>,
    timeoutMs: number,
  ): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const id = createRandomId(16);
      let extensions = 0;
      const arm = (): ReturnType<typeof setTimeout> => {
        const armedAt = Date.now();
        return setTimeout(() => {
          if (Date.now() - armedAt - timeoutMs > LATE_FIRE_SLACK_MS) {
            if (extensions++ < MAX_LATE_FIRE_EXTENSIONS) {
              entry.timer = arm();
              return;
            }
          }
          this.#pending.delete(id);
          reject(new Error(`${this.#feature}: no answer to ${type} within ${timeoutMs / 1000} s`));
        }, timeoutMs);
      };
      const entry: Pending = {resolve, reject, timer: arm()};
      this.#pending.set(id, entry);
      if (!this.#send(type, {...body, id})) {
        this.#settle(id);
        reject(new Error(`${this.#feature}: the extension link is not ready`));
      }
    });
  }

  /**
   * Handles a frame that may answer a question: resolves it (or rejects it, when the answer is an
   * error). Returns false for frames that answer nothing pending.
   */
  handleAnswer(body: unknown): boolean {
    const id = (body as {id?: unknown} | null)?.id;
    if (typeof id !== 'string') {
      return false;
    }
    const entry = this.#settle(id);
    if (entry === undefined) {
      return false;
    }
    const {error} = body as {error?: unknown};
    if (error !== undefined) {
      entry.reject(new Error(`${this.#feature}: the server answered: ${String(error)}`));
    } else {
      entry.resolve(body as Record<string, unknown>);
    }
    return true;
  }

  /** Rejects everything pending (the link was lost, or the synchronizer destroyed). */
  rejectAll(reason: string): void {
    for (const id of [...this.#pending.keys()]) {
      this.#settle(id)!.reject(new Error(`${this.#feature}: ${reason}`));
    }
  }

  #settle(id: string): Pending | undefined {
    const entry = this.#pending.get(id);
    if (entry !== undefined) {
      clearTimeout(entry.timer);
      this.#pending.delete(id);
    }
    return entry;
  }
}
