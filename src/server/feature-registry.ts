// The extension features this server speaks (docs/protocol.md §8). Each feature module adds its
// server end here; a client hello is answered with the ones it also speaks.
import {createAckFeature} from './ack-feature.js';
import type {ServerFeature} from './extensions.js';

export type ServerFeatureOptions = {
  /** Every room has durable storage, so the server can confirm what it stored (§8.6). */
  durableRooms: boolean;
};

export const createServerFeatures = ({
  durableRooms,
}: ServerFeatureOptions): Map<string, ServerFeature> => {
  const features: ServerFeature[] = durableRooms ? [createAckFeature()] : [];
  return new Map(features.map((feature) => [feature.name, feature]));
};
