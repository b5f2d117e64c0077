import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoOperatorsFile, loadOperators, neighbourOperatorsFile } from '../../server/access/operators-file';
import type { ServerStorage } from '../../server/storage/storage';
import { fixedRules } from '../fakes/storages';
import { makeTempDir } from '../fakes/temp-dir';

// Issue 13, a try-out's finding: the operators file took a misspelt field (`rols`) without a word, as the other
// configuration loaders do not. Refused, naming the field and the entry, before anything is read or written.
const dir = makeTempDir();
afterAll(() => dir.remove());

/** A storage that fails the test if the loader touches it at all: a refused file changes nothing. */
const untouched = new Proxy({} as ServerStorage, {
  get: (_target, name) => () => {
    throw new Error(`the storage was touched (${String(name)}) for a file that is not valid`);
  },
});

function file(content: unknown): string {
  const path = join(dir.path, `operators-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('an operators file with a field it does not know', () => {
  it('is refused naming the field and the entry, and nothing is changed', async () => {
    const operators = [
      { name: 'admin', displayName: 'admin', roles: ['admin'], password: 'shift-pw' },
      { name: 'erin', displayName: 'Erin Shaw', roles: ['call_handler'], rols: ['dispatcher'], password: 'erin-first' },
    ];
    await expect(loadOperators(file({ force: 'DMO', operators }), untouched, fixedRules)).rejects.toThrow(
      /not valid \(nothing was changed\): operators entry 2 \(erin\): unknown field 'rols' \(the fields are name, displayName, roles, active, password\)/,
    );
  });

  it('is refused for a misspelt password or a field at the top of the file too', async () => {
    const erin = { name: 'erin', displayName: 'Erin Shaw', roles: ['call_handler'], pasword: 'erin-first' };
    await expect(loadOperators(file({ force: 'DMO', operators: [erin] }), untouched, fixedRules)).rejects.toThrow(/operators entry 1 \(erin\): unknown field 'pasword'/);
    await expect(loadOperators(file({ forse: 'DMO', operators: [] }), untouched, fixedRules)).rejects.toThrow(/unknown field 'forse' \(the fields are note, force, operators\)/);
  });

  it('takes the demonstration forces’ own files, whose note is for their readers', async () => {
    // Read as far as the storage: their validation passed.
    for (const file of [demoOperatorsFile(), neighbourOperatorsFile()]) await expect(loadOperators(file, untouched, fixedRules)).rejects.toThrow(/the storage was touched|does not serve/);
  });

  it('says where a wrong value is, by the entry’s place and name', async () => {
    const erin = { name: 'erin', displayName: 'Erin Shaw', roles: ['call_handlr'] };
    await expect(loadOperators(file({ force: 'DMO', operators: [erin] }), untouched, fixedRules)).rejects.toThrow(/operators entry 1 \(erin\), roles\.0: /);
  });
});
