import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConsoleOptions, type ConsoleOptions } from '../../launch/console-options';

const options = (argv: string[]) => parseConsoleOptions(argv) as ConsoleOptions;

describe('the exercise options', () => {
  it('--exercise puts the run’s files in a folder of their own under the data folder, never in the live files’ place', () => {
    const parsed = options(['--exercise', 'assets/exercises/friday-night.json', '--data-dir', '/srv/cordon', '--workstation', 'trainer']);
    expect(parsed.dataDir).toMatch(new RegExp(`^${join('/srv/cordon', 'exercises', 'friday-night-')}\\d{8}-\\d{6}$`));
    expect(parsed.exercise).toEqual({ scenarioFile: expect.stringMatching(/assets\/exercises\/friday-night\.json$/) });
  });

  it('a trainee joins with the server and the code, in a folder of its own', () => {
    const parsed = options(['--server', 'http://127.0.0.1:4100', '--exercise-code', 'abc-def-ghj-kmn', '--data-dir', '/srv/cordon']);
    expect(parsed.exercise).toEqual({ code: 'ABC-DEF-GHJ-KMN' });
    expect(parsed.dataDir).toMatch(new RegExp(`^${join('/srv/cordon', 'exercises', 'joined-')}[0-9a-f]{12}$`));
  });

  it('refuses what cannot go together, saying why', () => {
    expect(() => options(['--exercise', 'x.json', '--server', 'http://127.0.0.1:4100'])).toThrow('--exercise runs the exercise on its own training server: give no --server');
    expect(() => options(['--exercise-code', 'ABC-DEF'])).toThrow('--exercise-code joins an exercise: give its training server with --server');
    expect(() => options(['--exercise', 'x.json', '--clock-start', '2026-07-15T13:00:00Z'])).toThrow("--clock-start cannot go with an exercise");
    expect(() => options(['--exercise', 'x.json', '--calls', 'none'])).toThrow("--calls cannot go with an exercise");
    expect(() => options(['--exercise-host', '0.0.0.0'])).toThrow('--exercise-host goes with --exercise');
  });
});
