// The editor behind EditableCellView and EditableValueView: an input suited to the thing's type
// (text, number, checkbox, or JSON text for objects and arrays) and a button that cycles the type
// string → number → boolean → object → array → string.
//
// Cycling converts through remembered values rather than the current one, so that cycling all the
// way round gives back what the user had: when the thing arrives from outside (first render, or a
// change the editor did not make) a string, number or boolean sets what each of those three types
// would show (String, Number or 0, Boolean), an object or array sets only its own type; the user's
// own edits set only the type being edited. Objects and arrays start as {} and []. A type with
// nothing remembered (string, number, boolean after a thing that was never one of them) is
// skipped over by not changing the thing, as TinyBase does.
import {type ChangeEvent, type ReactNode, useState} from 'react';
import {snapshotsEqual} from '../react/equality.js';
import type {CellOrValue} from '../store/types.js';

type ThingType = 'string' | 'number' | 'boolean' | 'object' | 'array';
const TYPE_CYCLE: readonly ThingType[] = ['string', 'number', 'boolean', 'object', 'array'];

type JsonObject = {[key: string]: unknown};

type Remembered = {
  /** What the editor last saw or wrote: anything else arriving is a change from outside. */
  seen: CellOrValue | undefined;
  string?: string;
  number?: number;
  boolean?: boolean;
  object: JsonObject;
  array: unknown[];
  /** Text typed into the JSON input that does not parse as the thing's type (shown as invalid). */
  invalidJson?: string;
};

const NOTHING_REMEMBERED: Remembered = {seen: undefined, object: {}, array: []};

/** The editable type of a thing; undefined for a missing or null one, which gets no editor. */
function typeOf(thing: unknown): ThingType | undefined {
  if (Array.isArray(thing)) {
    return 'array';
  }
  switch (typeof thing) {
    case 'string':
    case 'number':
    case 'boolean':
      return typeof thing as ThingType;
    case 'object':
      return thing === null ? undefined : 'object';
    default:
      return undefined;
  }
}

/** What the editor remembers after a thing arrives from outside. */
function rememberArrival(remembered: Remembered, thing: CellOrValue | undefined): Remembered {
  const type = typeOf(thing);
  const next: Remembered = {...remembered, seen: thing, invalidJson: undefined};
  if (type === 'object') {
    next.object = thing as JsonObject;
  } else if (type === 'array') {
    next.array = thing as unknown[];
  } else if (type !== undefined) {
    next.string = String(thing);
    next.number = Number(thing) || 0;
    next.boolean = Boolean(thing);
  }
  return next;
}

export type EditableThingProps = {
  readonly thing: CellOrValue | undefined;
  readonly onThingChange: (thing: CellOrValue) => void;
  readonly className: string;
  readonly showType: boolean;
};

export function EditableThing({
  thing,
  onThingChange,
  className,
  showType,
}: EditableThingProps): ReactNode {
  const [storedRemembered, setRemembered] = useState(() =>
    rememberArrival(NOTHING_REMEMBERED, thing),
  );
  // A change from outside updates the memory during render (React's pattern for state derived
  // from props), so this render already shows it.
  let remembered = storedRemembered;
  if (!snapshotsEqual(thing, remembered.seen)) {
    remembered = rememberArrival(remembered, thing);
    setRemembered(remembered);
  }

  const type = typeOf(thing);
  if (type === undefined) {
    return <div className={className} />;
  }

  const write = (writtenType: ThingType, written: CellOrValue) => {
    setRemembered({...remembered, seen: written, [writtenType]: written, invalidJson: undefined});
    onThingChange(written);
  };
  const cycleType = () => {
    const nextType = TYPE_CYCLE[(TYPE_CYCLE.indexOf(type) + 1) % TYPE_CYCLE.length];
    const next = remembered[nextType];
    if (next !== undefined) {
      write(nextType, next);
    }
  };
  const writeJson = (event: ChangeEvent<HTMLInputElement>) => {
    const text = event.currentTarget.value;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeOf(parsed) === type) {
      write(type, parsed as CellOrValue);
    } else {
      setRemembered({...remembered, invalidJson: text});
    }
  };

  let input: ReactNode;
  switch (type) {
    case 'string':
      input = (
        <input
          value={thing as string}
          onChange={(event) => write(type, event.currentTarget.value)}
        />
      );
      break;
    case 'number':
      input = (
        <input
          type="number"
          value={thing as number}
          // An empty or unparsable number is 0, never NaN (which a store cannot hold).
          onChange={(event) => write(type, Number(event.currentTarget.value) || 0)}
        />
      );
      break;
    case 'boolean':
      input = (
        <input
          type="checkbox"
          checked={thing as boolean}
          onChange={(event) => write(type, event.currentTarget.checked)}
        />
      );
      break;
    default:
      input = (
        <input
          className={remembered.invalidJson === undefined ? '' : 'invalid'}
          value={remembered.invalidJson ?? JSON.stringify(thing)}
          onChange={writeJson}
        />
      );
  }
  return (
    <div className={className}>
      {showType ? (
        // biome-ignore lint/a11y/useButtonType: no type attribute, as TinyBase renders none
        <button title={type} className={type} onClick={cycleType}>
          {type}
        </button>
      ) : null}
      {input}
    </div>
  );
}
