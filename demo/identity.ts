// Who this browser tab is on the board: a name and a colour, kept in sessionStorage so a reload
// keeps them while a second tab (its own session) gets another. Shown to the others as presence
// only: none of it is ever written to the store.

const NAME_KEY = 'syncstore-demo-name';
const ANIMALS = ['Otter', 'Heron', 'Lynx', 'Badger', 'Puffin', 'Gecko', 'Marten', 'Ibis', 'Koala'];
// Distinct on a white card and readable with white text on top.
const COLOURS = ['#0969da', '#8250df', '#bf3989', '#cf222e', '#bc4c00', '#1a7f37', '#0a7b83'];

const pick = <Item>(items: readonly Item[], seed: number): Item =>
  items[seed % items.length] as Item;

/** The same string always gets the same colour, so each name keeps its colour on every page. */
export const colourOf = (name: string): string => {
  let hash = 0;
  for (const character of name) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return pick(COLOURS, hash);
};

/** A random animal name, such as "Otter 42". */
const randomName = (): string => {
  const [first = 0, second = 0] = crypto.getRandomValues(new Uint32Array(2));
  return `${pick(ANIMALS, first)} ${(second % 90) + 10}`;
};

/** This tab's name: the one it was given before (kept across reloads) or a new random one. */
export const loadName = (): string => {
  const saved = sessionStorage.getItem(NAME_KEY)?.trim();
  if (saved) return saved;
  const name = randomName();
  sessionStorage.setItem(NAME_KEY, name);
  return name;
};

/** Keeps a name the user typed; a blank one is not kept (the previous name stays saved). */
export const saveName = (name: string): void => {
  if (name.trim() !== '') sessionStorage.setItem(NAME_KEY, name.trim());
};
