// The extension features this server speaks (docs/protocol.md §8). Each feature module adds its
// server end here; a client hello is answered with the ones it also speaks.
import {createAckFeature} from './ack-feature.js';
import {createBucketFeature} from './bucket-feature.js';
import type {ResolvedLimits} from './client-limits.js';
import {createCompactFeature} from './compact-feature.js';
import {createDeltaFeature} from './delta-feature.js';
import type {ServerFeature} from './extensions.js';
import {createPresenceFeature} from './presence.js';

export type ServerFeatureOptions = {
  limits: ResolvedLimits;
  /** Every room has durable storage, so the server can confirm what it stored (§8.7). */
  durableRooms: boolean;
};

export const createServerFeatures = ({
  limits,
  durableRooms,
}: ServerFeatureOptions): Map<string, ServerFeature> => {
  const features: ServerFeature[] = [
    createPresenceFeature(limits),
    createDeltaFeature(),
    createBucketFeature(),
    createCompactFeature(),
  ];
  if (durableRooms) {
    features.push(createAckFeature());
  }
  return new Map(features.map((feature) => [feature.name, feature]));
};
