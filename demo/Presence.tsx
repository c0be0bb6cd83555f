// Who else is on the board, through the synchronizer's presence (docs/protocol.md §8.2): this
// tab's name (editable), the others as avatars in the header, and a badge on the card each of them
// is editing. Presence is {name, colour, editing?: taskId}; it travels beside the store, never in it.
import {useEffect, useRef, useState} from 'react';
import {type PeerPresence, useMyPresence, useOthers} from '../src/react/index.js';
import type {PresenceState} from '../src/synchronizers/types.js';
import {colourOf, loadName, saveName} from './identity.js';

const FALLBACK_COLOUR = '#6e7781';

/** A peer's presence as the board shows it; anything a peer sent that is not a name shows as one. */
type Person = {peerId: string; name: string; colour: string; editing: string | undefined};

const personOf = ({peerId, state}: PeerPresence): Person => {
  const name = typeof state.name === 'string' && state.name.trim() !== '' ? state.name : 'Someone';
  const colour =
    typeof state.colour === 'string' && /^#[0-9a-f]{6}$/i.test(state.colour)
      ? state.colour
      : FALLBACK_COLOUR;
  return {
    peerId,
    name,
    colour,
    editing: typeof state.editing === 'string' ? state.editing : undefined,
  };
};

const initialsOf = (name: string) =>
  name
    .split(/\s+/)
    .map((word) => word.charAt(0))
    .join('')
    .slice(0, 2)
    .toUpperCase();

/**
 * This tab's name, editable, announced as presence; it is announced again whenever the provider
 * replaces its synchronizer (a new one starts with no presence).
 */
export function MyName() {
  const [name, setName] = useState(loadName);
  const [presence, setPresence] = useMyPresence();
  // Renaming keeps the card being edited; read at announce time, so editing alone re-announces nothing.
  const editing = useRef(presence?.editing);
  editing.current = presence?.editing;
  useEffect(() => {
    const shown = name.trim() === '' ? loadName() : name.trim();
    const card = editing.current;
    setPresence({
      name: shown,
      colour: colourOf(shown),
      ...(typeof card === 'string' ? {editing: card} : {}),
    });
  }, [name, setPresence]);
  return (
    <label className="my-name" style={{borderColor: colourOf(name.trim())}}>
      You are
      <input
        aria-label="Your name"
        value={name}
        maxLength={40}
        onChange={(event) => {
          setName(event.target.value);
          saveName(event.target.value);
        }}
      />
    </label>
  );
}

/** The other people on this board, one avatar each (their initials in their colour). */
export function OthersOnBoard() {
  const people = useOthers().map(personOf);
  return (
    <ul className="others" aria-label="Also on this board">
      {people.map((person) => (
        <li
          key={person.peerId}
          className="avatar"
          title={person.name}
          aria-label={person.name}
          style={{background: person.colour}}
        >
          {initialsOf(person.name)}
        </li>
      ))}
    </ul>
  );
}

/** A badge with the name of each other person editing this card. */
export function EditingBadges({taskId}: {taskId: string}) {
  const editors = useOthers()
    .map(personOf)
    .filter((person) => person.editing === taskId);
  if (editors.length === 0) return null;
  return (
    <div className="editing-badges">
      {editors.map((person) => (
        <span
          key={person.peerId}
          className="editing-badge"
          title={`${person.name} is editing this card`}
          style={{background: person.colour}}
        >
          {person.name}
        </span>
      ))}
    </div>
  );
}

/**
 * Focus and blur handlers for a card's input: focusing tells the others this tab is editing
 * `taskId`, blurring takes that back (the name and colour stay).
 */
export function useEditingPresence(taskId: string) {
  const [presence, setPresence] = useMyPresence();
  const withoutEditing = (state: PresenceState | null): PresenceState => {
    const {editing: _editing, ...rest} = state ?? {};
    return rest;
  };
  return {
    onFocus: () => setPresence({...withoutEditing(presence), editing: taskId}),
    onBlur: () => {
      if (presence?.editing === taskId) setPresence(withoutEditing(presence));
    },
  };
}
