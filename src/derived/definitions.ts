// The definitions of one derived-data object, by id, each owning the watch it keeps on its table.
// Replacing or deleting a definition stops its watch first, so no store listener outlives it.
import type {Id, Ids} from '../store/types.js';

export class Definitions<Definition extends {stop(): void}> {
  private readonly byId = new Map<Id, Definition>();

  get(definitionId: Id): Definition | undefined {
    return this.byId.get(definitionId);
  }

  has(definitionId: Id): boolean {
    return this.byId.has(definitionId);
  }

  ids(): Ids {
    return [...this.byId.keys()];
  }

  entries(): [Id, Definition][] {
    return [...this.byId.entries()];
  }

  /** Sets a definition, stopping the one it replaces; true when the id is new. */
  set(definitionId: Id, definition: Definition): boolean {
    const replaced = this.byId.get(definitionId);
    replaced?.stop();
    this.byId.set(definitionId, definition);
    return replaced === undefined;
  }

  /** Deletes and stops a definition; the one deleted, or undefined when there was none. */
  delete(definitionId: Id): Definition | undefined {
    const definition = this.byId.get(definitionId);
    if (definition !== undefined) {
      definition.stop();
      this.byId.delete(definitionId);
    }
    return definition;
  }
}

/** The id a cell or a function's result names: strings as they are, others as TinyBase spells them. */
export const toId = (thing: unknown): Id | undefined =>
  thing === undefined
    ? undefined
    : typeof thing === 'string'
      ? thing
      : typeof thing === 'object' && thing !== null
        ? JSON.stringify(thing)
        : String(thing);
