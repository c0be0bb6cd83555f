// The frames of the delta resync extension (docs/protocol.md §8.8), with their validation. Both
// ends use these: the client sends `sync`, the server answers `changes`, `fallback` or
// `unsupported`. Change sets travel exactly as a ContentDiff's body does (§5.4), so the same
// validator checks them.
import type {ContentHashes, MergeableChanges} from '../../store/types.js';
import {validateMessage} from '../messages.js';
import {Message} from '../types.js';

/** The feature's name in the handshake (§8.1). */
export const DELTA_FEATURE = 'delta';

/** A position in one room's change sequence: what a client has seen of it. */
export type Watermark = {epoch: string; seq: number};

/** client -> server: "here is what I wrote while apart; send me what changed after `since`". */
export type DeltaSyncBody = {epoch: string | null; since: number; changes: MergeableChanges};

/** server -> client: the leaves after the client's watermark, the new watermark, the hashes. */
export type DeltaChangesBody = {
  epoch: string;
  seq: number;
  changes: MergeableChanges;
  hashes: ContentHashes;
};

/**
 * server -> client: the server cannot tell what changed after the client's watermark (another
 * history, or one compacted past it); the client walks the hash trees and may then take `epoch`
 * and `seq` as its watermark.
 */
export type DeltaFallbackBody = Watermark;

export const DeltaType = {
  Sync: 'sync',
  Changes: 'changes',
  Fallback: 'fallback',
  /** The room has no store to keep a change sequence (a pure relay room). */
  Unsupported: 'unsupported',
} as const;

const MAX_SEQ = Number.MAX_SAFE_INTEGER;

const isRecord = (body: unknown): body is Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body);

const isSeq = (seq: unknown): seq is number =>
  typeof seq === 'number' && Number.isInteger(seq) && seq >= 0 && seq <= MAX_SEQ;

/** Epochs are short opaque strings: anything else is refused before it reaches a log. */
const isEpoch = (epoch: unknown): epoch is string =>
  typeof epoch === 'string' && epoch.length > 0 && epoch.length <= 64;

/** Why a change set is invalid (as a ContentDiff body), or undefined. */
const checkChanges = (changes: unknown): string | undefined =>
  validateMessage(null, Message.ContentDiff, changes);

/** The client's `sync` body, or why it is invalid. */
export const parseDeltaSync = (body: unknown): DeltaSyncBody | string => {
  if (!isRecord(body)) {
    return 'delta sync body is not an object';
  }
  const {epoch, since, changes} = body;
  if (epoch !== null && !isEpoch(epoch)) {
    return 'delta sync epoch is neither null nor a string of 1 to 64 characters';
  }
  if (!isSeq(since)) {
    return 'delta sync since is not a sequence number';
  }
  const problem = checkChanges(changes);
  if (problem !== undefined) {
    return `delta sync changes: ${problem}`;
  }
  return {epoch, since, changes: changes as MergeableChanges};
};

/** The server's `changes` body, or why it is invalid. */
export const parseDeltaChanges = (body: unknown): DeltaChangesBody | string => {
  if (!isRecord(body)) {
    return 'delta changes body is not an object';
  }
  const {epoch, seq, changes, hashes} = body;
  if (!isEpoch(epoch) || !isSeq(seq)) {
    return 'delta changes watermark is invalid';
  }
  const problem =
    checkChanges(changes) ?? validateMessage(null, Message.ContentHashes, hashes) ?? undefined;
  if (problem !== undefined) {
    return `delta changes: ${problem}`;
  }
  return {epoch, seq, changes: changes as MergeableChanges, hashes: hashes as ContentHashes};
};

/** The server's `fallback` body, or why it is invalid. */
export const parseDeltaFallback = (body: unknown): DeltaFallbackBody | string =>
  isRecord(body) && isEpoch(body.epoch) && isSeq(body.seq)
    ? {epoch: body.epoch, seq: body.seq}
    : 'delta fallback watermark is invalid';
