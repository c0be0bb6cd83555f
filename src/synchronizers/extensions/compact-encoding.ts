// The compact content encoding of feature 'compact' (docs/protocol.md §8.6): a change set in JSON
// without what the receiver recomputes or what repeats. No hashes (the merge recomputes them), table
// and row ids written once, cells as positions in a per-table list of cell ids, and HLCs as small
// deltas from the previous HLC with a per-message list of the writers' client-id parts. Decoding
// gives the unhashed change set a base-protocol answer would carry, so merging it stores the same
// stamps and hashes.
//
//   {k: [clientIdPart, ...],
//    t: [[tableId, [cellId, ...], [[rowId, thing, stamp, thing, stamp, ...], ...]], ...],
//    v: [valueId, thing, stamp, valueId, thing, stamp, ...]}
//
// A row holding other cells than the table's list, in that order, writes their positions after its
// id: [rowId, [2, 5], thing, stamp, thing, stamp]. Things are never arrays (objects and arrays are
// stored encoded as strings, §1.1), so the position list cannot be mistaken for a thing.
//
// A stamp is the leaf's HLC relative to the one before it in the message (tables, then rows, then
// cells, then values; the first relative to time 0, counter 0, client part 0):
//   null                    the empty HLC ""
//   d (an integer)          same time and writer, counter + d (1 for consecutive writes)
//   [dt, counter]           same writer, time + dt, that counter
//   [dt, counter, writer]   time + dt, that counter, the writer at that position of k
import {
  getHlcCounter,
  getHlcTime,
  HlcRunEncoder,
  haveSameClientId,
  isHlcSyntax,
} from '../../store/hlc.js';
import {
  isRowListTable,
  type RowList,
  type RowListTable,
  rowListToChanges,
} from '../../store/row-list.js';
import type {MergeableChanges, TablesStamp, ValuesStamp} from '../../store/types.js';
import {stringifyWithMarker} from '../ws/frames.js';

export type CompactContent = {k: string[]; t: unknown[]; v: unknown[]};

type Leaves = {[id: string]: [thing: unknown, hlc?: string]};
type Containers = {[id: string]: [children: Leaves | Containers, hlc?: string]};

const MAX_TIME = 2 ** 42 - 1;
const MAX_COUNTER = 2 ** 24 - 1;

/** The running HLC state both ends advance leaf by leaf. */
class StampCursor {
  time = 0;
  counter = 0;
  writer = 0;
}

/**
 * Builds compact content leaf by leaf, in message order: tables, each table's rows, each row's
 * cells, then values. A server reads rows straight from its store into it; encodeCompactContent
 * feeds it from a change set.
 */
export class CompactEncoder {
  readonly #writers = new Map<string, number>();
  readonly #cursor = new StampCursor();
  /** The previous non-empty HLC: a leaf by the same writer needs no look-up of its client id. */
  #previousHlc = '';
  readonly #tables: unknown[] = [];
  readonly #values: unknown[] = [];
  // The table being written: its cell ids, and per row the cells' positions in that list when
  // not 0, 1, 2, ... in order, else how many cells the row has.
  #cellIds: string[] = [];
  #cellPositions = new Map<string, number>();
  #rows: unknown[][] = [];
  #rowPositions: (number[] | number)[] = [];
  // The row being written.
  #row: unknown[] | null = null;
  #positions: number[] | null = null;
  #count = 0;
  /** Whether some thing is undefined (a tombstone): only then does JSON need the marker. */
  #hasTombstone = false;

  startTable(tableId: string): void {
    this.#endTable();
    this.#cellIds = [];
    this.#cellPositions = new Map();
    this.#rows = [];
    this.#rowPositions = [];
    this.#tables.push([tableId, this.#cellIds, this.#rows]);
  }

  startRow(rowId: string): void {
    this.#endRow();
    this.#row = [rowId];
    this.#positions = null;
    this.#count = 0;
  }

  /** A cell of the current row (an arrow, so a store can be handed it as its visitor). */
  readonly addCell = (cellId: string, thing: unknown, hlc: string | undefined): void => {
    let position = this.#cellPositions.get(cellId);
    if (position === undefined) {
      position = this.#cellIds.length;
      this.#cellIds.push(cellId);
      this.#cellPositions.set(cellId, position);
    }
    if (this.#positions === null && position !== this.#count) {
      this.#positions = Array.from({length: this.#count}, (_, at) => at);
    }
    this.#positions?.push(position);
    this.#count++;
    this.#hasTombstone ||= thing === undefined;
    this.#row!.push(thing, this.#encodeStamp(hlc));
  };

  addValue(valueId: string, thing: unknown, hlc: string | undefined): void {
    this.#hasTombstone ||= thing === undefined;
    this.#values.push(valueId, thing, this.#encodeStamp(hlc));
  }

  finish(): CompactContent {
    this.#endTable();
    return {k: [...this.#writers.keys()], t: this.#tables, v: this.#values};
  }

  /**
   * The content as frame JSON (stringifyWithMarker's), in one pass: the encoder knows whether a
   * tombstone needs the marker, so nothing walks the content to find out.
   */
  finishAsJson(): string {
    const content = this.finish();
    return this.#hasTombstone ? stringifyWithMarker(content) : JSON.stringify(content);
  }

  #endRow(): void {
    if (this.#row !== null) {
      this.#rows.push(this.#row);
      this.#rowPositions.push(this.#positions ?? this.#count);
      this.#row = null;
    }
  }

  /**
   * Rows holding all the table's cells in list order (the usual case) need no positions; the list
   * is only complete once every row was seen.
   */
  #endTable(): void {
    this.#endRow();
    const rows = this.#rows;
    for (let index = 0; index < rows.length; index++) {
      const positions = this.#rowPositions[index]!;
      if (typeof positions !== 'number') {
        rows[index]!.splice(1, 0, positions);
      } else if (positions !== this.#cellIds.length) {
        rows[index]!.splice(
          1,
          0,
          Array.from({length: positions}, (_, at) => at),
        );
      }
    }
    this.#rowPositions = [];
  }

  #encodeStamp(hlc: string | undefined): unknown {
    if (hlc === undefined || hlc === '') {
      return null;
    }
    const cursor = this.#cursor;
    const time = getHlcTime(hlc);
    const counter = getHlcCounter(hlc);
    let writer = cursor.writer;
    if (this.#previousHlc === '' || !haveSameClientId(hlc, this.#previousHlc)) {
      const clientPart = hlc.slice(11);
      const known = this.#writers.get(clientPart);
      writer = known ?? this.#writers.size;
      if (known === undefined) {
        this.#writers.set(clientPart, writer);
      }
    }
    this.#previousHlc = hlc;
    let stamp: unknown;
    if (writer !== cursor.writer) {
      stamp = [time - cursor.time, counter, writer];
    } else if (time !== cursor.time) {
      stamp = [time - cursor.time, counter];
    } else {
      stamp = counter - cursor.counter;
    }
    cursor.time = time;
    cursor.counter = counter;
    cursor.writer = writer;
    return stamp;
  }
}

/** Encodes the change set `[tables, values]` (unhashed or hashed: hashes are left out). */
export const encodeCompactContent = (
  tablesStamp: TablesStamp<boolean>,
  valuesStamp: ValuesStamp<boolean>,
): CompactContent => {
  const encoder = new CompactEncoder();
  const tablesThing = tablesStamp[0] as unknown as Containers;
  for (const tableId of Object.keys(tablesThing)) {
    encoder.startTable(tableId);
    const rowsThing = tablesThing[tableId]![0] as Containers;
    for (const rowId of Object.keys(rowsThing)) {
      encoder.startRow(rowId);
      const cells = rowsThing[rowId]![0] as Leaves;
      for (const cellId of Object.keys(cells)) {
        const [thing, hlc] = cells[cellId]!;
        encoder.addCell(cellId, thing, hlc);
      }
    }
  }
  const valuesThing = valuesStamp[0] as Leaves;
  for (const valueId of Object.keys(valuesThing)) {
    const [thing, hlc] = valuesThing[valueId]!;
    encoder.addValue(valueId, thing, hlc);
  }
  return encoder.finish();
};

/** Why a body is not compact content, with the place that is wrong. */
export class InvalidCompactContent extends Error {
  constructor(place: string, problem: string) {
    super(`invalid compact content at ${place}: ${problem}`);
    this.name = 'InvalidCompactContent';
  }
}

const isInteger = (value: unknown): value is number => Number.isSafeInteger(value);

/** A stamp that is wrong, before the place of its leaf is known. */
class StampProblem extends Error {}

/** Turns stamps back into HLCs, leaf after leaf, as the encoder's cursor moved. */
class StampDecoder {
  readonly #writers: string[];
  readonly #cursor = new StampCursor();
  readonly #hlcs = new HlcRunEncoder();
  constructor(writers: string[]) {
    this.#writers = writers;
  }

  /** The HLC of the next stamp; throws a StampProblem when the stamp is wrong. */
  decode(stamp: unknown): string {
    if (stamp === null) {
      return '';
    }
    const cursor = this.#cursor;
    const writers = this.#writers;
    if (typeof stamp === 'number') {
      if (!isInteger(stamp)) {
        throw new StampProblem('not a stamp');
      }
      cursor.counter += stamp;
    } else if (
      Array.isArray(stamp) &&
      (stamp.length === 2 || stamp.length === 3) &&
      stamp.every(isInteger)
    ) {
      cursor.time += stamp[0];
      cursor.counter = stamp[1];
      if (stamp.length === 3) {
        if (stamp[2] < 0 || stamp[2] >= writers.length) {
          throw new StampProblem(`no writer ${stamp[2]}`);
        }
        cursor.writer = stamp[2];
      }
    } else {
      throw new StampProblem('not a stamp');
    }
    if (cursor.time < 0 || cursor.time > MAX_TIME) {
      throw new StampProblem(`time ${cursor.time} out of range`);
    }
    if (cursor.counter < 0 || cursor.counter > MAX_COUNTER) {
      throw new StampProblem(`counter ${cursor.counter} out of range`);
    }
    if (writers.length === 0) {
      throw new StampProblem('an HLC without any writer in k');
    }
    return this.#hlcs.encode(cursor.time, cursor.counter, writers[cursor.writer] as string);
  }
}

/**
 * Decodes every stamp of the leaves between `start` and `end` in `list` (thing, stamp, thing,
 * stamp...) into its HLC, in place. Returns the problem of a wrong stamp, for the caller to report
 * at its place, or undefined.
 */
const decodeStampsInPlace = (
  stamps: StampDecoder,
  list: unknown[],
  start: number,
  end: number,
): string | undefined => {
  try {
    for (let at = start + 1; at < end; at += 2) {
      list[at] = stamps.decode(list[at]);
    }
  } catch (error) {
    if (error instanceof StampProblem) {
      return error.message;
    }
    throw error;
  }
  return undefined;
};

/**
 * Decodes compact content into the row list it stands for (row-list.ts): the same tables, rows
 * and leaves, each stamp replaced by its HLC. Decodes in place, so the body is used up: the list
 * shares its arrays. Throws InvalidCompactContent naming the first wrong place; leaves themselves
 * are checked by the merge, as for any change set (§4.3).
 */
export const decodeCompactRows = (body: unknown): RowList => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidCompactContent('body', 'not an object');
  }
  const {k: writers, t: tables, v: values} = body as Record<string, unknown>;
  if (!Array.isArray(writers) || !writers.every((part) => isClientPart(part))) {
    throw new InvalidCompactContent('k', 'not a list of 5-character client id parts');
  }
  if (!Array.isArray(tables)) {
    throw new InvalidCompactContent('t', 'not a list');
  }
  if (!Array.isArray(values) || values.length % 3 !== 0) {
    throw new InvalidCompactContent('v', 'not a list of id, thing, stamp triples');
  }
  const stamps = new StampDecoder(writers);
  for (let tableIndex = 0; tableIndex < tables.length; tableIndex++) {
    const table = tables[tableIndex];
    const place = `t[${tableIndex}]`;
    if (!isRowListTable(table)) {
      throw new InvalidCompactContent(place, 'not [tableId, cellIds, rows]');
    }
    const [, cellIds, rows] = table;
    // Places in errors are made only when something is wrong.
    const rowPlace = (rowIndex: number) => `${place} row ${rowIndex}`;
    for (let rowIndex = 0; rowIndex < rows.length; rowIndex++) {
      const row = rows[rowIndex];
      if (!Array.isArray(row) || typeof row[0] !== 'string') {
        throw new InvalidCompactContent(rowPlace(rowIndex), 'not [rowId, ...]');
      }
      const positions = Array.isArray(row[1]) ? (row[1] as unknown[]) : null;
      const start = positions === null ? 1 : 2;
      const count = positions === null ? cellIds.length : positions.length;
      if (row.length - start !== count * 2) {
        throw new InvalidCompactContent(
          rowPlace(rowIndex),
          'not a thing and a stamp for each cell',
        );
      }
      if (positions !== null) {
        for (const position of positions) {
          if (!isInteger(position) || position < 0 || position >= cellIds.length) {
            const problem = `no cell id at position ${String(position)}`;
            throw new InvalidCompactContent(rowPlace(rowIndex), problem);
          }
        }
      }
      const problem = decodeStampsInPlace(stamps, row, start, row.length);
      if (problem !== undefined) {
        throw new InvalidCompactContent(rowPlace(rowIndex), problem);
      }
    }
  }
  for (let index = 0; index < values.length; index += 3) {
    if (typeof values[index] !== 'string') {
      throw new InvalidCompactContent(`v[${index}]`, 'not a value id');
    }
    const problem = decodeStampsInPlace(stamps, values, index + 1, index + 3);
    if (problem !== undefined) {
      throw new InvalidCompactContent(`v[${index}]`, problem);
    }
  }
  return {tables: tables as RowListTable[], values};
};

/**
 * Decodes compact content into the unhashed change set `[tables, values, 1]` it stands for (the
 * body is used up, as by decodeCompactRows).
 */
export const decodeCompactContent = (body: unknown): MergeableChanges =>
  rowListToChanges(decodeCompactRows(body));

const isClientPart = (part: unknown): part is string =>
  typeof part === 'string' && part.length === 5 && isHlcSyntax(`-----------${part}`);
