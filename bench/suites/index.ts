import type { BenchSuite } from '../bench-types';
import { gazetteerSearch } from './gazetteer-search';
import { rendererSuite } from './renderer';
import { catchUpSuite } from './catch-up';
import { longShiftSuite } from './long-shift';
import { serverLoadSuite } from './server-load';
import { serverInstancesSuite } from './server-instances';
import { visibilitySuite } from './visibility';
import { writePathSuite } from './write-path';
import { auditQueriesSuite, auditQueriesYearSuite } from './audit-queries';
import { combinedPeakSuite } from './combined-peak';

/** Every benchmark suite `npm run bench` runs (but those only run when named); `npm run bench -- NAME…` runs only those named. */
export const suites: BenchSuite[] = [writePathSuite, longShiftSuite, visibilitySuite, catchUpSuite, serverLoadSuite, serverInstancesSuite, gazetteerSearch, rendererSuite, auditQueriesSuite, auditQueriesYearSuite, combinedPeakSuite];
