// The editor behind EditableCellView and EditableValueView: an input suited to the thing's type
// (text, number, checkbox, or JSON text for objects and arrays) and a button that cycles the type
// string → number → boolean → object → array → string.
//
// Cycling converts through remembered values rather than the current one, so that cycling all the
// way round gives back what the user had: when the thing arrives from outside (first render, or a
// change the editor did not make) a string, number or boolean sets what each of those three types
// would show (String, Number or 0, Boolean), an object or array sets only its own type; the user's
// own edits set only the type being edited, and JSON that does not parse forgets its type's
// object (or array). Objects and arrays with nothing remembered start as {} and []. A click
// towards a string, number or boolean with nothing remembered (the thing was never one of them)
// does nothing. All of this is what TinyBase's editor does, observed from outside.
import {Fragment, type ReactNode, useState} from 'react';
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
  /** Undefined until there is one, and again after JSON typed for it did not parse as one. */
  object?: JsonObject;
  array?: unknown[];
  /** Text typed into the JSON input that is shown instead of the thing's JSON until replaced. */
  typedJson?: string;
  /**
   * Whether the last JSON typed for objects (or arrays) did not parse as one. As in TinyBase
   * this sticks to the type: only typed JSON that differs from the remembered object clears it.
   */
  objectInvalid: boolean;
  arrayInvalid: boolean;
};

const NOTHING_REMEMBERED: Remembered = {
  seen: undefined,
  objectInvalid: false,
  arrayInvalid: false,
};

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
  const next: Remembered = {...remembered, seen: thing, typedJson: undefined};
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

  const write = (writtenType: ThingType, written: CellOrValue, also?: Partial<Remembered>) => {
    setRemembered({
      ...remembered,
      seen: written,
      [writtenType]: written,
      typedJson: undefined,
      ...also,
    });
    onThingChange(written);
  };
  const cycleType = () => {
    const nextType = TYPE_CYCLE[(TYPE_CYCLE.indexOf(type) + 1) % TYPE_CYCLE.length];
    // Objects and arrays with nothing remembered start empty; towards a string, number or
    // boolean with nothing remembered the click does nothing.
    const next =
      nextType === 'object'
        ? (remembered.object ?? {})
        : nextType === 'array'
          ? (remembered.array ?? [])
          : remembered[nextType];
    if (next !== undefined) {
      write(nextType, next);
    }
  };
  const writeJson = (jsonType: 'object' | 'array', text: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const invalidKey = jsonType === 'object' ? 'objectInvalid' : 'arrayInvalid';
    if (typeOf(parsed) !== jsonType) {
      setRemembered({...remembered, typedJson: text, [jsonType]: undefined, [invalidKey]: true});
    } else if (snapshotsEqual(parsed, remembered[jsonType])) {
      // The same thing written differently: show it as JSON again.
      setRemembered({...remembered, typedJson: undefined});
    } else {
      write(jsonType, parsed as CellOrValue, {[invalidKey]: false});
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
          className={
            remembered[type === 'object' ? 'objectInvalid' : 'arrayInvalid'] ? 'invalid' : ''
          }
          value={remembered.typedJson ?? JSON.stringify(thing)}
          onChange={(event) => writeJson(type, event.currentTarget.value)}
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
      {/* A new input for each type: reusing one would keep the previous type's attributes. */}
      <Fragment key={type}>{input}</Fragment>
    </div>
  );
}
