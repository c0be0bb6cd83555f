// Seeds that the simulation's long searches found diverging or stuck, each replayed exactly
// (SIM_SEED=<seed> SIM_RUNS=1 with SIM_TRACE=1 shows every delivery), with what was wrong.
import {expect, test} from 'vitest';
import {runCase, SMALL_CASES} from './sim-case.js';

const FOUND: [seed: number, what: string][] = [
  // pull-runner.ts: a pull that ended unequal while another pull still ran was forgotten, so this
  // peer never announced what the other (missing a row) lacked.
  [101670, 'a syncstore client stays behind after concurrent pulls'],
  // server-peer.ts (announcesPulledChanges): the room's store pulled a TinyBase client's edits
  // while a syncstore client was reconnecting; that client's reconnect pull was answered first by
  // the room with its older hashes, TinyBase never announces again, and nobody told the client.
  // The room now announces what its pulls bring.
  [303873, 'a client never gets what the room pulled from a TinyBase client'],
  [306295, 'a client never gets what the room pulled from a TinyBase client'],
  // pull-runner.ts, first version of that fix: the peers told afterwards also held back 'synced',
  // and a confirmation with one that had left since settled the phase to 'idle'.
  [202781, "a peer that has left holds back 'synced' (lossy links)"],
  [211243, "a peer that has left holds back 'synced'"],
  // confirmation.ts: a directed GetContentHashes to a peer that had meanwhile reconnected under a
  // new id timed out after a later pull had ended equal, and set the phase back to 'idle'.
  [105546, "a late confirmation timeout undoes 'synced'"],
  [104426, "a late confirmation timeout undoes 'synced' (with TinyBase)"],
  [113054, "a late confirmation timeout undoes 'synced' (with TinyBase)"],
  [113962, "a late confirmation timeout undoes 'synced' (with TinyBase)"],
  [119630, "a late confirmation timeout undoes 'synced'"],
  [113853, "a late confirmation timeout undoes 'synced'"],
  // The same with a TinyBase client, which never announces again after pulling: the syncstore
  // client that knew it was ahead of it after concurrent pulls stayed silent, and they diverged.
  [116042, 'a TinyBase client stays behind after concurrent pulls'],
  [100319, 'a TinyBase client stays behind after concurrent pulls'],
  [100339, 'a TinyBase client stays behind after concurrent pulls'],
  [102257, 'a TinyBase client stays behind after concurrent pulls'],
  [102461, 'a TinyBase client stays behind after concurrent pulls'],
  [106061, 'a TinyBase client stays behind after concurrent pulls'],
  // pull-runner.ts: a TinyBase client deleted a row it had just created while its own pull ran;
  // TinyBase sent no ContentDiff for it and never announced afterwards. The syncstore client that
  // reconnected took the room's answer to its GetContentHashes (equal to its own) as the first and
  // only one, ignoring the TinyBase client's differing answer, so the tombstone never reached it.
  // Later answers to a broadcast GetContentHashes whose hashes differ are now pulled from.
  [109963, 'a TinyBase tombstone made during its pull stays with it'],
  // confirmation.ts: a confirmation (directed GetContentHashes) to a TinyBase client that then
  // reconnected under a new id was still in flight when a pull from the new id ended unequal and
  // scheduled a newer confirmation; the old one timed out, found the phase 'syncing' and set it
  // to 'idle', and the newer one then found 'idle' and did nothing. An answer or timeout of a
  // confirmation older than the latest scheduled one is now ignored.
  [307058, "a syncstore client beside a TinyBase one ends 'idle'"],
  // The same stale confirmation, found once the announcement after an unequal pull no longer
  // waited a macrotask (three syncstore clients, one reconnecting).
  [495, "a stale confirmation's timeout undoes 'syncing' (syncstore clients only)"],
  // confirmation.ts: a pull from a peer ended unequal; before the confirmation asked it, that peer
  // reconnected under a new id by delta resync, which announces nothing. The directed question
  // went unanswered and the phase settled to 'idle' while everyone held the same content. An
  // unanswered confirmation now pulls from any peer.
  [714, "a confirmation to a peer that came back by delta resync ends 'idle'"],
];

// Found with plain syncstore clients (before delta resync): replayed as they were found.
const FOUND_WITHOUT_DELTA: [seed: number, what: string][] = [
  // server-peer.ts (checksPullers): a TinyBase client held changes it never announced, and only
  // syncstore clients (which relay nothing they pull) or nobody got them; the room store pulls
  // only from peers that announce. The room now asks each client for its hashes once that
  // client's pull from the room has ended, and pulls when they differ (docs/protocol.md §7.7):
  // - 712042 (search from 700000): an edit made while partitioned; after reconnecting, TinyBase
  //   sent neither its ContentDiff (it was not syncing then) nor any ContentHashes.
  // - 2026481: a row deleted while the client's ContentDiff of it was lost (partition); a
  //   syncstore client pulled the tombstone from it (its GetContentHashes answer differed), the
  //   room never did.
  // - 2035488: edits made while partitioned; after reconnecting the client pulled from the room
  //   and never announced.
  // - 2050291: an edit made while partitioned; a syncstore client pulled it (the TinyBase
  //   client's answer to its broadcast GetContentHashes differed), the room and the other
  //   clients never got it.
  [712042, "a TinyBase client's edit made while partitioned stays with it"],
  [2026481, "a TinyBase client's deletion whose ContentDiff was lost never reaches the room"],
  [2035488, "a TinyBase client's edits made while partitioned never reach the room"],
  [2050291, 'a syncstore client pulls a TinyBase edit that never reaches the room'],
];

test.each(FOUND)('seed %i: %s', async (seed) => {
  const result = await runCase(seed);
  expect(result.failures).toEqual([]);
});

test.each(FOUND_WITHOUT_DELTA)('seed %i (plain syncstore clients): %s', async (seed) => {
  const result = await runCase(seed, {...SMALL_CASES, deltaClients: false});
  expect(result.failures).toEqual([]);
});
