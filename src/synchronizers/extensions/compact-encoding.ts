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
import {decodeHlc, encodeHlc, isHlcSyntax} from '../../store/hlc.js';
import {getOwn, setOwn} from '../../store/objects.js';
import type {MergeableChanges, TablesStamp, ValuesStamp} from '../../store/types.js';

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

/** Encodes the change set `[tables, values]` (unhashed or hashed: hashes are left out). */
export const encodeCompactContent = (
  tablesStamp: TablesStamp<boolean>,
  valuesStamp: ValuesStamp<boolean>,
): CompactContent => {
  const writers = new Map<string, number>();
  const cursor = new StampCursor();
  const encodeStamp = (hlc: string | undefined): unknown => {
    if (hlc === undefined || hlc === '') {
      return null;
    }
    const [time, counter, clientPart] = decodeHlc(hlc);
    let writer = writers.get(clientPart);
    if (writer === undefined) {
      writer = writers.size;
      writers.set(clientPart, writer);
    }
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
  };

  const tables: unknown[] = [];
  const tablesThing = tablesStamp[0] as unknown as Containers;
  for (const tableId of Object.keys(tablesThing)) {
    const rowsThing = tablesThing[tableId]![0] as Containers;
    const cellIds: string[] = [];
    const cellPositions = new Map<string, number>();
    const rows: unknown[][] = [];
    const rowPositions: number[][] = [];
    for (const rowId of Object.keys(rowsThing)) {
      const cells = rowsThing[rowId]![0] as Leaves;
      const row: unknown[] = [rowId];
      const positions: number[] = [];
      for (const cellId of Object.keys(cells)) {
        let position = cellPositions.get(cellId);
        if (position === undefined) {
          position = cellIds.length;
          cellIds.push(cellId);
          cellPositions.set(cellId, position);
        }
        positions.push(position);
        const [thing, hlc] = cells[cellId]!;
        row.push(thing, encodeStamp(hlc));
      }
      rows.push(row);
      rowPositions.push(positions);
    }
    // Rows holding all the table's cells in list order (the usual case) need no positions; the
    // list is only complete once every row was seen.
    rows.forEach((row, index) => {
      const positions = rowPositions[index]!;
      if (positions.length !== cellIds.length || positions.some((at, slot) => at !== slot)) {
        row.splice(1, 0, positions);
      }
    });
    tables.push([tableId, cellIds, rows]);
  }

  const values: unknown[] = [];
  const valuesThing = valuesStamp[0] as Leaves;
  for (const valueId of Object.keys(valuesThing)) {
    const [thing, hlc] = valuesThing[valueId]!;
    values.push(valueId, thing, encodeStamp(hlc));
  }
  return {k: [...writers.keys()], t: tables, v: values};
};

/** Why a body is not compact content, with the place that is wrong. */
export class InvalidCompactContent extends Error {
  constructor(place: string, problem: string) {
    super(`invalid compact content at ${place}: ${problem}`);
    this.name = 'InvalidCompactContent';
  }
}

const isInteger = (value: unknown): value is number => Number.isSafeInteger(value);

/**
 * Decodes compact content into the unhashed change set `[tables, values, 1]` it stands for.
 * Throws InvalidCompactContent naming the first wrong place; leaves themselves are checked by the
 * merge, as for any change set (§4.3).
 */
export const decodeCompactContent = (body: unknown): MergeableChanges => {
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
  const cursor = new StampCursor();
  const decodeStamp = (stamp: unknown, place: string): string => {
    if (stamp === null) {
      return '';
    }
    if (isInteger(stamp)) {
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
          throw new InvalidCompactContent(place, `no writer ${stamp[2]}`);
        }
        cursor.writer = stamp[2];
      }
    } else {
      throw new InvalidCompactContent(place, 'not a stamp');
    }
    if (cursor.time < 0 || cursor.time > MAX_TIME) {
      throw new InvalidCompactContent(place, `time ${cursor.time} out of range`);
    }
    if (cursor.counter < 0 || cursor.counter > MAX_COUNTER) {
      throw new InvalidCompactContent(place, `counter ${cursor.counter} out of range`);
    }
    if (writers.length === 0) {
      throw new InvalidCompactContent(place, 'an HLC without any writer in k');
    }
    return encodeHlc(cursor.time, cursor.counter, writers[cursor.writer] as string);
  };

  const tablesThing: Containers = {};
  tables.forEach((table, tableIndex) => {
    const place = `t[${tableIndex}]`;
    if (
      !Array.isArray(table) ||
      table.length !== 3 ||
      typeof table[0] !== 'string' ||
      !Array.isArray(table[1]) ||
      !table[1].every((cellId) => typeof cellId === 'string') ||
      !Array.isArray(table[2])
    ) {
      throw new InvalidCompactContent(place, 'not [tableId, cellIds, rows]');
    }
    const [tableId, cellIds, rows] = table as [string, string[], unknown[]];
    const rowsThing: Containers = (getOwn(tablesThing, tableId)?.[0] as Containers) ?? {};
    rows.forEach((row, rowIndex) => {
      const rowPlace = `${place} row ${rowIndex}`;
      if (!Array.isArray(row) || typeof row[0] !== 'string') {
        throw new InvalidCompactContent(rowPlace, 'not [rowId, ...]');
      }
      const explicit = Array.isArray(row[1]);
      const start = explicit ? 2 : 1;
      const positions: unknown[] = explicit ? (row[1] as unknown[]) : cellIds.map((_, at) => at);
      if (row.length - start !== positions.length * 2) {
        throw new InvalidCompactContent(rowPlace, 'not a thing and a stamp for each cell');
      }
      const cells: Leaves = {};
      positions.forEach((position, index) => {
        if (!isInteger(position) || position < 0 || position >= cellIds.length) {
          throw new InvalidCompactContent(rowPlace, `no cell id at position ${String(position)}`);
        }
        const thing = row[start + index * 2];
        setOwn(cells, cellIds[position]!, [
          thing,
          decodeStamp(row[start + index * 2 + 1], rowPlace),
        ]);
      });
      setOwn(rowsThing, row[0], [cells]);
    });
    setOwn(tablesThing, tableId, [rowsThing]);
  });

  const valuesThing: Leaves = {};
  for (let index = 0; index < values.length; index += 3) {
    const valueId = values[index];
    if (typeof valueId !== 'string') {
      throw new InvalidCompactContent(`v[${index}]`, 'not a value id');
    }
    setOwn(valuesThing, valueId, [
      values[index + 1],
      decodeStamp(values[index + 2], `v[${index}]`),
    ]);
  }
  return [[tablesThing], [valuesThing], 1] as unknown as MergeableChanges;
};

const isClientPart = (part: unknown): part is string =>
  typeof part === 'string' && part.length === 5 && isHlcSyntax(`-----------${part}`);
