// Undo and Redo buttons for the nearest provider's checkpoints (the demo's, from undo.ts, record
// only this browser's own edits). Also used by the local-undo story.
import {useRedoInformation, useUndoInformation} from '../src/react/index.js';

export function UndoRedo() {
  const [canUndo, undo] = useUndoInformation();
  const [canRedo, redo] = useRedoInformation();
  return (
    <>
      <button type="button" disabled={!canUndo} onClick={undo}>
        Undo
      </button>
      <button type="button" disabled={!canRedo} onClick={redo}>
        Redo
      </button>
    </>
  );
}
