import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type TestPostgres } from './postgres';

/**
 * One PostgreSQL cluster for a test file: started before its first test (a minute allowed: initdb on a loaded
 * machine), removed after its last. The object answers for the cluster once started; used before, it throws.
 */
export function postgresForThisFile(): TestPostgres {
  let cluster: TestPostgres | undefined;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.remove());
  const started = (): TestPostgres => {
    if (!cluster) throw new Error('the test PostgreSQL cluster is not started yet: use it inside a test or a hook');
    return cluster;
  };
  return {
    get port() {
      return started().port;
    },
    createDatabase: () => started().createDatabase(),
    stop: (mode) => started().stop(mode),
    start: () => started().start(),
    remove: () => started().remove(),
  };
}
