// Traffic counters of a server, shared by its connections.
import type {WsTrafficStats} from './types.js';

/** The part of a server's stats that its connections count as traffic passes. */
export type TrafficCounters = WsTrafficStats;

export const createTrafficCounters = (): TrafficCounters => ({
  messagesIn: 0,
  bytesIn: 0,
  messagesOut: 0,
  bytesOut: 0,
});
