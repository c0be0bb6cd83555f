// Hybrid logical clocks, encoded as TinyBase does (docs/protocol.md §2): 16 characters from an alphabet in
// ascending ASCII order, so comparing two HLC strings compares their times. 7 characters of
// milliseconds, 4 of counter, 5 of client id.
import {fnv1a32} from './hash.js';

export const HLC_ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const HLC_LENGTH = 16;
/** Incoming clocks more than this far ahead of the receiver's own clock are refused. */
export const MAX_FUTURE_OFFSET_MS = 5 * 60 * 1000;
const COUNTER_LIMIT = 2 ** 24;

const ALPHABET_CODES = Array.from(HLC_ALPHABET, (char) => char.charCodeAt(0));
/** Digit value of each ASCII code, or -1 for characters outside the alphabet. */
const DIGIT_BY_CODE = new Int8Array(128).fill(-1);
ALPHABET_CODES.forEach((code, digit) => {
  DIGIT_BY_CODE[code] = digit;
});

/** True for a syntactically valid 16-character HLC (no check of the time it encodes). */
export const isHlcSyntax = (hlc: unknown): hlc is string => {
  if (typeof hlc !== 'string' || hlc.length !== HLC_LENGTH) {
    return false;
  }
  for (let index = 0; index < HLC_LENGTH; index++) {
    const code = hlc.charCodeAt(index);
    if (code >= 128 || DIGIT_BY_CODE[code] < 0) {
      return false;
    }
  }
  return true;
};

const decodeDigits = (text: string, start: number, length: number): number => {
  let result = 0;
  for (let index = start; index < start + length; index++) {
    const code = text.charCodeAt(index);
    // Unknown characters decode as 0, as TinyBase's decoder does.
    result = result * 64 + (code < 128 ? Math.max(DIGIT_BY_CODE[code], 0) : 0);
  }
  return result;
};

/** Writes `value` as `length` base-64 digits into `codes` from `start`, most significant first. */
const writeDigits = (codes: number[], start: number, length: number, value: number): void => {
  if (value <= 0x7fffffff) {
    // Counters, and any value that fits: integer arithmetic, far cheaper than % and floor.
    for (let index = start + length - 1; index >= start; index--) {
      codes[index] = ALPHABET_CODES[value & 63]!;
      value >>= 6;
    }
    return;
  }
  for (let index = start + length - 1; index >= start; index--) {
    codes[index] = ALPHABET_CODES[value % 64]!;
    value = Math.floor(value / 64);
  }
};

/** The logical time (ms since epoch) of an HLC. */
export const getHlcTime = (hlc: string): number => decodeDigits(hlc, 0, 7);

export const decodeHlc = (hlc: string): [time: number, counter: number, clientId: string] => [
  decodeDigits(hlc, 0, 7),
  decodeDigits(hlc, 7, 4),
  hlc.slice(11),
];

/** The counter of an HLC. */
export const getHlcCounter = (hlc: string): number => decodeDigits(hlc, 7, 4);

/** True when two HLCs end in the same 5-character client id (compared in place, no slices). */
export const haveSameClientId = (hlc1: string, hlc2: string): boolean => {
  for (let index = 11; index < HLC_LENGTH; index++) {
    if (hlc1.charCodeAt(index) !== hlc2.charCodeAt(index)) {
      return false;
    }
  }
  return true;
};

/**
 * Encodes a run of HLCs, as encodeHlc does, rewriting only the parts that changed since the
 * previous one: a decoder of many stamps in a row (compact snapshots, §8.6) makes one string each.
 */
export class HlcRunEncoder {
  private readonly codes = new Array<number>(HLC_LENGTH).fill(ALPHABET_CODES[0]);
  private time = -1;
  private clientId = '';

  encode(time: number, counter: number, clientId: string): string {
    const codes = this.codes;
    if (time !== this.time) {
      writeDigits(codes, 0, 7, time);
      this.time = time;
    }
    writeDigits(codes, 7, 4, counter);
    if (clientId !== this.clientId) {
      for (let index = 0; index < 5; index++) {
        codes[11 + index] = clientId.charCodeAt(index);
      }
      this.clientId = clientId;
    }
    // Sixteen arguments, not apply over the array: V8 makes the string much faster this way.
    return String.fromCharCode(
      codes[0]!,
      codes[1]!,
      codes[2]!,
      codes[3]!,
      codes[4]!,
      codes[5]!,
      codes[6]!,
      codes[7]!,
      codes[8]!,
      codes[9]!,
      codes[10]!,
      codes[11]!,
      codes[12]!,
      codes[13]!,
      codes[14]!,
      codes[15]!,
    );
  }
}

export const encodeHlc = (time: number, counter: number, clientId: string): string => {
  const codes = new Array<number>(HLC_LENGTH);
  writeDigits(codes, 0, 7, time);
  writeDigits(codes, 7, 4, counter);
  for (let index = 0; index < 5; index++) {
    codes[11 + index] = clientId.charCodeAt(index);
  }
  return String.fromCharCode(...codes);
};

/** The 5-character client id: the low 30 bits of fnv1a32(uniqueId), or random without one. */
export const getClientId = (uniqueId?: string): string => {
  const codes = new Array<number>(5);
  if (uniqueId === undefined) {
    const random = crypto.getRandomValues(new Uint8Array(5));
    random.forEach((byte, index) => {
      codes[index] = ALPHABET_CODES[byte & 63];
    });
  } else {
    writeDigits(codes, 0, 5, fnv1a32(uniqueId) % 2 ** 30);
  }
  return String.fromCharCode(...codes);
};

export type HlcClock = {
  /** A new HLC, later than every HLC this clock has produced or observed. */
  next(): string;
  /** Moves the clock past a remote HLC (ignored when malformed or too far in the future). */
  observe(remoteHlc?: string): void;
  /** True when the HLC is "" or well-formed and no more than 5 minutes ahead of now. */
  isAcceptable(hlc: string): boolean;
  getNow(): number;
  clientId: string;
  /** The logical time of the last HLC made or observed. */
  getLastTime(): number;
  /** The counter of the last HLC made or observed (-1 before the first). */
  getLastCounter(): number;
  /** How many HLCs next() has produced: a merge that leaves it unchanged stamped no local write. */
  readonly stamps: number;
};

export const createHlcClock = (uniqueId?: string, getNow: () => number = Date.now): HlcClock => {
  const clientId = getClientId(uniqueId);
  let lastTime = 0;
  let lastCounter = -1;
  let stamps = 0;
  // The characters of the last HLC, so the next one only rewrites what changed.
  const codes = new Array<number>(HLC_LENGTH).fill(ALPHABET_CODES[0]);
  let codedTime = -1;
  for (let index = 0; index < 5; index++) {
    codes[11 + index] = clientId.charCodeAt(index);
  }

  const isAcceptable = (hlc: string): boolean =>
    hlc === '' || (isHlcSyntax(hlc) && getHlcTime(hlc) <= getNow() + MAX_FUTURE_OFFSET_MS);

  const advance = (remoteTime: number, remoteCounter: number): void => {
    const previousTime = lastTime;
    lastTime = Math.max(previousTime, remoteTime, getNow());
    if (lastTime === previousTime) {
      if (lastTime === remoteTime) {
        lastCounter = Math.max(lastCounter, remoteCounter);
      }
    } else if (lastTime === remoteTime) {
      lastCounter = remoteCounter;
    } else {
      lastCounter = -1;
    }
  };

  return {
    clientId,
    getNow,
    isAcceptable,
    getLastTime: () => lastTime,
    getLastCounter: () => lastCounter,
    observe(remoteHlc) {
      if (remoteHlc === undefined || remoteHlc === '') {
        advance(0, 0);
      } else if (isAcceptable(remoteHlc)) {
        advance(decodeDigits(remoteHlc, 0, 7), decodeDigits(remoteHlc, 7, 4));
      }
    },
    get stamps() {
      return stamps;
    },
    next() {
      stamps++;
      advance(0, 0);
      lastCounter++;
      if (lastCounter === COUNTER_LIMIT) {
        lastTime++;
        lastCounter = 0;
      }
      if (lastTime !== codedTime) {
        writeDigits(codes, 0, 7, lastTime);
        codedTime = lastTime;
      }
      writeDigits(codes, 7, 4, lastCounter);
      // fromCharCode builds a flat string: no rope, no later flattening.
      return String.fromCharCode.apply(null, codes);
    },
  };
};
