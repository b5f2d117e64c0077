import type { BenchSuite } from '../bench-types';
import { gazetteerSearch } from './gazetteer-search';

/** Every benchmark suite `npm run bench` runs; `npm run bench -- NAME…` runs only those named. */
export const suites: BenchSuite[] = [gazetteerSearch];
