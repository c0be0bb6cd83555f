// Writing results keyed by ids that come from users and peers. `obj[id] = x` would change the
// prototype when id is "__proto__", so that one key is defined as an ordinary own property.

export const setOwn = <Thing>(object: Record<string, Thing>, key: string, value: Thing): void => {
  if (key === '__proto__') {
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    object[key] = value;
  }
};

/** An own property of an input object (never an inherited one such as `constructor`). */
export const getOwn = <Thing>(
  object: Record<string, Thing> | undefined,
  key: string,
): Thing | undefined =>
  object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined;

export const isObjectLike = (thing: unknown): thing is Record<string, unknown> =>
  typeof thing === 'object' && thing !== null && !Array.isArray(thing);
