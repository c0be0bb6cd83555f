// Side-by-side rendering for the react-dom tests: the same tree, once with TinyBase's ui-react-dom
// inside TinyBase's Provider over a TinyBase store, once with syncstore/react-dom inside
// syncstore's Provider over a syncstore store with the same content.
import {act, cleanup, fireEvent, type RenderResult, render} from '@testing-library/react';
import type {ComponentType, ReactNode} from 'react';
import {renderToStaticMarkup} from 'react-dom/server';
import {createMergeableStore as createTinyBaseStore} from 'tinybase';
import * as tinybaseUi from 'tinybase/ui-react';
import * as tinybaseDom from 'tinybase/ui-react-dom';
import {afterEach, expect} from 'vitest';
import {createMergeableStore} from '../../src/index.js';
import * as syncstoreUi from '../../src/react/index.js';
import * as syncstoreDom from '../../src/react-dom/index.js';
import type {MergeableStore, Tables, Values} from '../../src/store/types.js';

// vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
});

/** One library: its components, and a store of its own. TinyBase's are typed as syncstore's. */
export type Side = {
  readonly name: 'syncstore' | 'tinybase';
  readonly dom: typeof syncstoreDom;
  readonly ui: typeof syncstoreUi;
  readonly store: MergeableStore;
};

export type Tree = (side: Side) => ReactNode;

export type Content = {tables?: Tables; values?: Values};

/** syncstore's side and TinyBase's, each with a store holding `content`. */
export function bothSides({tables = {}, values = {}}: Content): [ours: Side, theirs: Side] {
  const ours: Side = {
    name: 'syncstore',
    dom: syncstoreDom,
    ui: syncstoreUi,
    store: createMergeableStore().setTables(tables).setValues(values),
  };
  const theirs: Side = {
    name: 'tinybase',
    dom: tinybaseDom as unknown as typeof syncstoreDom,
    ui: tinybaseUi as unknown as typeof syncstoreUi,
    store: createTinyBaseStore().setTables(tables).setValues(values) as unknown as MergeableStore,
  };
  return [ours, theirs];
}

/** The tree inside the side's Provider, with the store as default and as 'named'. */
function provided(side: Side, tree: Tree): ReactNode {
  const Provider = side.ui.Provider as ComponentType<syncstoreUi.ProviderProps>;
  return (
    <Provider store={side.store} storesById={{named: side.store}}>
      {tree(side)}
    </Provider>
  );
}

/** Server-rendered HTML of the tree on both sides. */
export function renderStatic(content: Content, tree: Tree): {ours: string; theirs: string} {
  const [ours, theirs] = bothSides(content);
  return {
    ours: renderToStaticMarkup(provided(ours, tree)),
    theirs: renderToStaticMarkup(provided(theirs, tree)),
  };
}

/** What a user sees in a container: its HTML, plus the live value and checked state of inputs
 * (React sets those as properties, which innerHTML does not show). */
export function snapshot(container: HTMLElement): string {
  const inputs = [...container.querySelectorAll('input')].map(
    (input) => `${input.type}:${JSON.stringify(input.value)}:${input.checked}`,
  );
  return `${container.innerHTML}\n${inputs.join('\n')}`;
}

export type Live = {
  readonly ours: Side & RenderResult;
  readonly theirs: Side & RenderResult;
  /** Runs the same user action on both sides (in act). */
  both(action: (side: Side & RenderResult) => void): void;
  /** Both sides show the same and their stores hold the same content; returns our snapshot. */
  expectSame(): string;
};

/** Renders the tree on both sides into the (happy-dom) document. */
export function renderLive(content: Content, tree: Tree): Live {
  const [ourSide, theirSide] = bothSides(content);
  const ours = {...ourSide, ...render(provided(ourSide, tree))};
  const theirs = {...theirSide, ...render(provided(theirSide, tree))};
  return {
    ours,
    theirs,
    both(action) {
      act(() => action(ours));
      act(() => action(theirs));
    },
    expectSame() {
      const ourSnapshot = snapshot(ours.container);
      expect(ourSnapshot).toBe(snapshot(theirs.container));
      expect(ours.store.getTables()).toEqual(theirs.store.getTables());
      expect(ours.store.getValues()).toEqual(theirs.store.getValues());
      return ourSnapshot;
    },
  };
}

export {act, fireEvent};
