// getHlcFunctions: TinyBase's root helper that hands out one hybrid logical clock as separate
// functions, for apps that stamp things themselves. It is the store's own clock (hlc.ts).
import {createHlcClock, decodeHlc, encodeHlc, getClientId} from './hlc.js';
import type {GetNow, Hlc, Id} from './types.js';

export type HlcFunctions = [
  getNextHlc: () => Hlc,
  seenHlc: (remoteHlc: Hlc) => void,
  encodeHlc: (logicalTime: number, counter: number, clientId?: Id) => Hlc,
  decodeHlc: (hlc: Hlc) => [logicalTime: number, counter: number, clientId: Id],
  getLastLogicalTime: () => number,
  getLastCounter: () => number,
  getClientId: () => Id,
];

/**
 * A clock for `uniqueId` (random when omitted) reading `getNow`. encodeHlc takes a unique id, not
 * a client id: it is hashed into one, and this clock's client id is used when it is omitted.
 */
export const getHlcFunctions = (uniqueId?: Id, getNow: GetNow = Date.now): HlcFunctions => {
  const clock = createHlcClock(uniqueId, getNow);
  return [
    () => clock.next(),
    (remoteHlc) => clock.observe(remoteHlc),
    (logicalTime, counter, otherUniqueId) =>
      encodeHlc(
        logicalTime,
        counter,
        otherUniqueId === undefined ? clock.clientId : getClientId(otherUniqueId),
      ),
    (hlc) => decodeHlc(hlc),
    () => clock.getLastTime(),
    () => clock.getLastCounter(),
    () => clock.clientId,
  ];
};
