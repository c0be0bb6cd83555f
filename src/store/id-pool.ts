// Ids handed out as "0", "1", "2"... where freed ids are handed out again, oldest first. TinyBase
// numbers listeners and addRow's rows this way, so syncstore does too: apps see the same ids.

/** TinyBase stops remembering freed ids beyond this many. */
const MAX_FREED = 1000;
const INTEGER = /^\d+$/;

export class IdPool {
  private readonly freed: string[] = [];
  private next = 0;

  /** A freed id (when `reuse` is true and there is one), else the next new number. */
  take(reuse = true): string {
    return (reuse ? this.freed.shift() : undefined) ?? String(this.next++);
  }

  /** Makes an id available again; only integer ids are remembered. */
  release(id: string): void {
    if (INTEGER.test(id) && this.freed.length < MAX_FREED) {
      this.freed.push(id);
    }
  }
}
