// The frames of the durable acknowledgement feature (docs/protocol.md §8.7), shared by the
// client and the server ends.

export const ACK_FEATURE = 'ack';

/** Client to server: "tell me when everything I sent you before this frame is stored". */
export const ACK_MARK = 'mark';
/** Server to client: everything the client sent before mark `id` is stored durably. */
export const ACK_STORED = 'stored';
/** Server to client: something the room received before mark `id` could not be stored. */
export const ACK_FAILED = 'failed';

/** The body of every ack frame: the mark's id, which a client numbers upwards. */
export type AckBody = {id: number};

export const parseAckBody = (body: unknown): AckBody | undefined => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return undefined;
  }
  const {id} = body as Record<string, unknown>;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? {id} : undefined;
};
