// The question-and-answer shape that the server ends of features 'buckets' and 'compact' share
// (docs/protocol.md §8.5, §8.6): a client asks `[feature, type, {id, ...}]` and gets one answer of
// the same type and id, or `{id, error}` saying what was wrong with the question.
import type {RoomMember} from './room.js';

/** Longest question id accepted (clients send 16 characters). */
const MAX_QUESTION_ID_LENGTH = 64;

/** A question body that cannot be answered; its message goes back as the answer's error. */
export class BadQuestion extends Error {}

/**
 * Answers a question from `member` with what `compute` returns for its fields, or with the error
 * of a BadQuestion it throws. Throws (reported by the room, §8.1) when the body has no usable id,
 * since then no answer could be matched to it.
 */
export const answerQuestion = (
  member: RoomMember,
  feature: string,
  type: string,
  body: unknown,
  compute: (fields: Record<string, unknown>) => Record<string, unknown>,
): void => {
  const id = (body as {id?: unknown} | null)?.id;
  if (
    typeof body !== 'object' ||
    Array.isArray(body) ||
    typeof id !== 'string' ||
    id.length > MAX_QUESTION_ID_LENGTH
  ) {
    throw new Error(
      `${feature}: a ${type} question from client ${member.clientId} has no valid id`,
    );
  }
  let fields: Record<string, unknown>;
  try {
    fields = compute(body as Record<string, unknown>);
  } catch (error) {
    if (!(error instanceof BadQuestion)) {
      throw error;
    }
    fields = {error: error.message};
  }
  member.extensions?.send(feature, type, {...fields, id});
};

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
