// The extension features this server speaks (docs/protocol.md §8). Each feature module adds its
// server end here; a client hello is answered with the ones it also speaks.
import {createDeltaFeature} from './delta-feature.js';
import type {ServerFeature} from './extensions.js';

export const createServerFeatures = (): Map<string, ServerFeature> => {
  const features: ServerFeature[] = [createDeltaFeature()];
  return new Map(features.map((feature) => [feature.name, feature]));
};
