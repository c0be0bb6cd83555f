// Errors a synchronizer reports. Each message starts with TinyBase's code (`tinybase:<n>[:detail]`)
// so code that matches on TinyBase's codes keeps working, then says in words what and why.

export const ErrorCode = {
  /** A request got no response in time (detail: `<to>.<requestId>.<message>` or `destroyed`). */
  ResponseTimeout: 'tinybase:3',
  /** The transport failed or went away. */
  TransportFailure: 'tinybase:5',
  /** An incoming message or change set was malformed or rejected. */
  InvalidMessage: 'tinybase:14',
  /** A bound was exceeded (detail: what overflowed, e.g. `requests`). */
  Overflow: 'tinybase:15',
} as const;

/** An Error whose message is exactly a TinyBase code, with syncstore's explanation in `detail`. */
export class SyncError extends Error {
  readonly code: string;
  /** What happened, in words; not part of the code an app matches on. */
  readonly detail: string | undefined;
  constructor(code: string, detail?: string) {
    super(code);
    this.name = 'SyncError';
    this.code = code;
    this.detail = detail || undefined;
  }
}

/** An error's message, followed by its detail when it has one: for logs and status views. */
export const describeError = (error: Error): string => {
  const {detail} = error as {detail?: unknown};
  return typeof detail === 'string' && detail !== '' ? `${error.message} ${detail}` : error.message;
};

/**
 * Thrown by a transport's send, before anything is sent, when one message would exceed what the
 * transport carries per message. The engine then sends the change set in pieces (splitting.ts).
 */
export class MessageTooLarge extends SyncError {
  readonly bytes: number;
  readonly limit: number;
  constructor(what: string, bytes: number, limit: number) {
    super(
      `${ErrorCode.Overflow}:message`,
      `${what} of ${bytes} bytes exceeds the transport's ${limit} bytes per message`,
    );
    this.name = 'MessageTooLarge';
    this.bytes = bytes;
    this.limit = limit;
  }
}

export function isSyncErrorWithCode(error: unknown, codePrefix: string): boolean {
  return error instanceof Error && error.message.startsWith(codePrefix);
}

/** Whatever was thrown, as an Error. */
export function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
