import { describe, expect, it } from 'vitest';
import { benchSettings } from '../../bench/support/bench-settings';

describe("a benchmark report's settings", () => {
  it('names the CORDON_BENCH_* variables and the browser it ran with, and nothing else of the environment', () => {
    const env = {
      CORDON_BENCH_LOAD_WORKSTATIONS: '400',
      CORDON_BENCH_LOAD_STORAGES: 'sqlite',
      CORDON_CHROMIUM: '/usr/bin/chromium',
      CORDON_DATABASE_URL: 'postgres://cordon:secret@db/cordon',
      CORDON_BENCH_UNSET: undefined,
      PATH: '/usr/bin',
    };
    expect(benchSettings(env)).toEqual({ CORDON_BENCH_LOAD_STORAGES: 'sqlite', CORDON_BENCH_LOAD_WORKSTATIONS: '400', CORDON_CHROMIUM: '/usr/bin/chromium' });
    expect(Object.keys(benchSettings(env))).toEqual(['CORDON_BENCH_LOAD_STORAGES', 'CORDON_BENCH_LOAD_WORKSTATIONS', 'CORDON_CHROMIUM']);
    expect(benchSettings({ PATH: '/usr/bin' })).toEqual({});
  });
});
