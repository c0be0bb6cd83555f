// Shard 1 of 2 of the simulation (run-simulation.ts explains SIM_SEED and SIM_RUNS).
import {defineSimulation} from './run-simulation.js';

defineSimulation(0, 2);
