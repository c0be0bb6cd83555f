// The write gate of a room with authorization (docs/protocol.md §6.8): every piece of content a
// client sends towards the room store (a ContentDiff, or its answers to the room store's pull) is
// filtered leaf by leaf with canWriteCell and canWriteValue before the room store sees it. A
// read-only client's leaves are all refused. Refused leaves are dropped, and the newer ones are
// corrected (corrections.ts).

import {decodeCellOrValue} from '../store/cell.js';
import type {FullMergeableStore} from '../store/mergeable-store.js';
import type {Cell, Id, Value} from '../store/types.js';
import {toError} from '../synchronizers/errors.js';
import {Message} from '../synchronizers/types.js';
import type {CanWriteCell, CanWriteValue, ClientAccess} from './authorization.js';
import {Corrections} from './corrections.js';

export type WriteRules = {
  canWriteCell: CanWriteCell | undefined;
  canWriteValue: CanWriteValue | undefined;
  reportError: (error: Error) => void;
  /** How many corrections of ids the room never had one client may cause (§6.9). */
  refusedNewLeavesPerClient: number;
};

/** One client's write, as the gate judges it. */
export type Writer = {pathId: Id; access: ClientAccess};

/** A stamp as it arrives: [thing, hlc?]; containers: [children, hlc?]. */
type Stamp = [thing: unknown, hlc?: string, ...rest: unknown[]];
type Children = Record<Id, Stamp>;

export type GateResult = {
  /** The body with refused leaves removed; undefined when nothing is left of a ContentDiff. */
  body: unknown;
  /** The room store's versions to write after the refused newer leaves, if any. */
  corrections: ReturnType<Corrections['toChanges']>;
  refused: number;
  /** How many of the corrections are tombstones for ids the room store never had. */
  newLeaves: number;
};

/**
 * Filters the content in a message from `writer` to the room store. `answered` is the request a
 * Response answers (the room tracks the room store's requests), undefined for other messages.
 */
export const gateContent = (
  message: number,
  answered: number | undefined,
  body: unknown,
  writer: Writer,
  rules: WriteRules,
  store: FullMergeableStore,
): GateResult => {
  const judge = new Judge(writer, rules, store);
  const gated = gateBody(message, answered, body, judge);
  return {
    body: gated,
    corrections: judge.corrections.toChanges(),
    refused: judge.refused,
    newLeaves: judge.corrections.newLeaves,
  };
};

const gateBody = (
  message: number,
  answered: number | undefined,
  body: unknown,
  judge: Judge,
): unknown => {
  if (message === Message.ContentDiff && Array.isArray(body)) {
    const [tables, values, ...rest] = body as [Stamp, Stamp, ...unknown[]];
    const gatedTables = judge.tables(tables);
    const gatedValues = judge.values(values);
    return isEmptyStamp(gatedTables) && isEmptyStamp(gatedValues)
      ? undefined
      : [gatedTables, gatedValues, ...rest];
  }
  if (message !== Message.Response) {
    return body;
  }
  switch (answered) {
    case Message.GetTableDiff:
    case Message.GetRowDiff: {
      // [the tables or rows the room store lacks, hashes of those that differ]
      const [tables, hashes] = body as [Stamp, unknown];
      return [judge.tables(tables), hashes];
    }
    case Message.GetCellDiff:
      return judge.tables(body as Stamp);
    case Message.GetValueDiff:
      return judge.values(body as Stamp);
    default:
      // Hash answers carry no content.
      return body;
  }
};

class Judge {
  readonly corrections: Corrections;
  refused = 0;
  readonly #writer: Writer;
  readonly #rules: WriteRules;

  constructor(writer: Writer, rules: WriteRules, store: FullMergeableStore) {
    this.#writer = writer;
    this.#rules = rules;
    this.corrections = new Corrections(store);
  }

  tables(tables: Stamp): Stamp {
    return mapChildren(tables, (tableId, table) =>
      mapChildren(table, (rowId, row) =>
        mapChildren(row, (cellId, cell) =>
          this.#mayWriteCell(tableId, rowId, cellId, cell) ? cell : undefined,
        ),
      ),
    );
  }

  values(values: Stamp): Stamp {
    return mapChildren(values, (valueId, value) =>
      this.#mayWriteValue(valueId, value) ? value : undefined,
    );
  }

  #mayWriteCell(tableId: Id, rowId: Id, cellId: Id, [thing, hlc = '']: Stamp): boolean {
    const {canWriteCell} = this.#rules;
    const {pathId, access} = this.#writer;
    return this.#mayWrite(
      thing,
      canWriteCell &&
        ((cell) =>
          canWriteCell(pathId, tableId, rowId, cellId, cell as Cell | undefined, access.context)),
      () => this.corrections.refuseCell(tableId, rowId, cellId, hlc),
    );
  }

  #mayWriteValue(valueId: Id, [thing, hlc = '']: Stamp): boolean {
    const {canWriteValue} = this.#rules;
    const {pathId, access} = this.#writer;
    return this.#mayWrite(
      thing,
      canWriteValue &&
        ((value) => canWriteValue(pathId, valueId, value as Value | undefined, access.context)),
      () => this.corrections.refuseValue(valueId, hlc),
    );
  }

  /**
   * Whether the writer may write one leaf: never when read-only, else as `rule` decides (yes
   * without a rule). A refused leaf is counted, and `refuse` notes its correction.
   */
  #mayWrite(
    thing: unknown,
    rule: ((decoded: unknown) => boolean) | undefined,
    refuse: () => void,
  ): boolean {
    const allowed =
      this.#writer.access.readOnly !== true && (rule === undefined || this.#ask(thing, rule));
    if (!allowed) {
      this.refused++;
      refuse();
    }
    return allowed;
  }

  /**
   * Asks the app about one leaf, decoded as the app's store would hold it. An app function that
   * throws refuses the leaf: failing closed keeps a bug in the rules from opening the room.
   */
  #ask(thing: unknown, decide: (decoded: unknown) => boolean): boolean {
    let decoded: unknown;
    try {
      decoded = decodeCellOrValue(thing as Parameters<typeof decodeCellOrValue>[0]);
    } catch {
      // Malformed encoded JSON: the room store refuses the whole change set anyway.
      return true;
    }
    try {
      return decide(decoded) === true;
    } catch (error) {
      this.#rules.reportError(toError(error));
      return false;
    }
  }
}

/**
 * A container stamp with each child replaced by `map`'s result; children mapped to undefined, and
 * containers left empty, are dropped. Anything not shaped like a container is kept as it is: the
 * room store validates it.
 */
const mapChildren = (container: Stamp, map: (id: Id, child: Stamp) => Stamp | undefined): Stamp => {
  if (!Array.isArray(container) || typeof container[0] !== 'object' || container[0] === null) {
    return container;
  }
  const children = container[0] as Children;
  const kept: Children = {};
  for (const id of Object.keys(children)) {
    const child = children[id]!;
    const mapped = map(id, child);
    if (mapped !== undefined && !(mapped !== child && isEmptyStamp(mapped))) {
      Object.defineProperty(kept, id, {value: mapped, enumerable: true, writable: true});
    }
  }
  const [, ...rest] = container;
  return [kept, ...rest] as Stamp;
};

const isEmptyStamp = (stamp: Stamp): boolean =>
  Array.isArray(stamp) &&
  typeof stamp[0] === 'object' &&
  stamp[0] !== null &&
  Object.keys(stamp[0]).length === 0;
