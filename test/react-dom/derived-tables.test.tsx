// @vitest-environment happy-dom
// SliceInHtmlTable and RelationshipInHtmlTable render exactly what TinyBase's render for the same
// slice or relationship and props, and both follow the same edits of the store (rows joining and
// leaving the slice, links changing, cells changing).
import {act, render} from '@testing-library/react';
import type {ComponentType} from 'react';
import * as tinybase from 'tinybase';
import {describe, expect, test} from 'vitest';
import {createIndexes, createRelationships} from '../../src/index.js';
import type {Indexes} from '../../src/indexes/types.js';
import type * as syncstoreUi from '../../src/react/index.js';
import type {Relationships} from '../../src/relationships/types.js';
import type {MergeableStore} from '../../src/store/types.js';
import {bothSides, type Side} from './support.js';

const content = {
  tables: {
    pets: {
      fido: {species: 'dog', legs: 4, price: 5},
      felix: {species: 'cat', legs: 4},
      cujo: {species: 'dog', price: 3, sold: true},
      lowly: {legs: 0},
    },
    species: {dog: {sound: 'woof'}, cat: {sound: 'meow', lives: 9}},
  },
};

const relationshipsOf = (side: Side): Relationships =>
  (side.name === 'tinybase'
    ? (tinybase.createRelationships(
        side.store as unknown as tinybase.Store,
      ) as unknown as Relationships)
    : createRelationships(side.store)
  ).setRelationshipDefinition('petSpecies', 'pets', 'species', 'species');

const indexesOf = (side: Side): Indexes =>
  (side.name === 'tinybase'
    ? (tinybase.createIndexes(side.store as unknown as tinybase.Store) as unknown as Indexes)
    : createIndexes(side.store)
  ).setIndexDefinition('bySpecies', 'pets', 'species', 'price');

function renderSide(side: Side) {
  const indexes = indexesOf(side);
  const relationships = relationshipsOf(side);
  const Provider = side.ui.Provider as ComponentType<syncstoreUi.ProviderProps>;
  return render(
    <Provider indexes={indexes} relationshipsById={{named: relationships}}>
      <side.dom.RelationshipInHtmlTable relationshipId="petSpecies" relationships="named" />
      <side.dom.RelationshipInHtmlTable
        relationshipId="petSpecies"
        relationships={relationships}
        customCells={{'species.sound': 'Sound', 'pets.legs': {label: 'Legs'}}}
        idColumn={false}
        className="links"
      />
      <side.dom.SliceInHtmlTable indexId="bySpecies" sliceId="dog" className="dogs" />
      <side.dom.SliceInHtmlTable
        indexId="bySpecies"
        sliceId="dog"
        indexes={indexes}
        customCells={{price: 'Price'}}
        idColumn={false}
        editable
      />
    </Provider>,
  );
}

describe('SliceInHtmlTable and RelationshipInHtmlTable, side by side with TinyBase', () => {
  test('the same HTML for the same slice and relationship, after every edit', () => {
    const sides = bothSides(content);
    const [ours, theirs] = sides.map(renderSide);
    const expectSame = () => expect(ours.container.innerHTML).toBe(theirs.container.innerHTML);
    expectSame();
    expect(theirs.container.innerHTML).toContain(
      '<table class="dogs"><thead><tr><th>Id</th><th>species</th><th>legs</th><th>price</th>',
    );
    const edits: ((store: MergeableStore) => unknown)[] = [
      (store) => store.setCell('pets', 'felix', 'species', 'dog'),
      (store) => store.setCell('pets', 'fido', 'price', 1),
      (store) => store.delRow('pets', 'cujo'),
      (store) => store.setCell('pets', 'fido', 'species', 'wolf'),
      (store) => store.setCell('species', 'cat', 'sound', 'purr'),
      (store) => store.setCell('pets', 'lowly', 'species', 'cat'),
    ];
    for (const edit of edits) {
      act(() => {
        for (const side of sides) {
          edit(side.store);
        }
      });
      expectSame();
    }
    expect(ours.container.innerHTML).toContain('<th title="felix">felix</th>');
    expect(theirs.container.innerHTML).toContain(
      '<th>pets.Id</th><th>species.Id</th><th>pets.species</th>',
    );
    expect(theirs.container.innerHTML).toContain('<td>purr</td>');
  });
});
