import { describeSimulationPart } from './sim/simulation-suite';

// Part 3 of the fault simulation's seeds (tests/faults/sim/simulation-suite.ts says why the seeds are in parts).
describeSimulationPart(3);
