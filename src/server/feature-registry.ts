// The extension features this server speaks (docs/protocol.md §8). Each feature module adds its
// server end here; a client hello is answered with the ones it also speaks.
import type {ResolvedLimits} from './client-limits.js';
import {createDeltaFeature} from './delta-feature.js';
import type {ServerFeature} from './extensions.js';
import {createPresenceFeature} from './presence.js';

export const createServerFeatures = (limits: ResolvedLimits): Map<string, ServerFeature> => {
  const features: ServerFeature[] = [createPresenceFeature(limits), createDeltaFeature()];
  return new Map(features.map((feature) => [feature.name, feature]));
};
