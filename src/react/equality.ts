// Structural equality for hook snapshots. A hook returns its previous snapshot while the new one
// is equal to it, so components see the same reference (and React skips the render) until the
// content they read really changes.

function isPlainObject(thing: unknown): thing is {[key: string]: unknown} {
  if (thing === null || typeof thing !== 'object') {
    return false;
  }
  const prototype = Object.getPrototypeOf(thing);
  return prototype === Object.prototype || prototype === null;
}

/**
 * True when two snapshots hold the same content: primitives by identity (NaN equal to NaN),
 * arrays element by element in order, plain objects key by key in any order. Anything else (an
 * Error, a class instance) is compared by identity, so a new error is always a change.
 */
export function snapshotsEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) {
    return true;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) {
      return false;
    }
    for (let index = 0; index < a.length; index++) {
      if (!snapshotsEqual(a[index], b[index])) {
        return false;
      }
    }
    return true;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) {
      return false;
    }
    let keyCount = 0;
    for (const key in a) {
      if (!Object.hasOwn(b, key) || !snapshotsEqual(a[key], b[key])) {
        return false;
      }
      keyCount++;
    }
    return keyCount === Object.keys(b).length;
  }
  return false;
}
