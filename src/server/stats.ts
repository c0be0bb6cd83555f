// Traffic counters of a server, shared by its connections.

export type TrafficCounters = {
  messagesIn: number;
  bytesIn: number;
  messagesOut: number;
  bytesOut: number;
};

export const createTrafficCounters = (): TrafficCounters => ({
  messagesIn: 0,
  bytesIn: 0,
  messagesOut: 0,
  bytesOut: 0,
});
