import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AnyRecord } from '../../shared/domain/records';
import { anyOf, mayChange, NO_SHARES, ownerOf, refusalToChange, visibleTo, type SharePolicy } from '../../shared/domain/partition';
import { visibleChanges } from '../../server/partition-filter';
import { LiveHub } from '../../server/live-hub';
import { SCHEMA_VERSION, type RecordChange } from '../../shared/sync/protocol';
import { createConsoleCore } from '../../main/core/console-core';
import { demonstrationForces, loadForceConfig } from '../../node-common/force-config-file';
import { systemClock } from '../../shared/domain/time';
import { demoConfig, silentLog } from '../fakes/fixtures';
import { makeTempDir } from '../fakes/temp-dir';
import { parseConsoleOptions } from '../../launch/console-options';

/** A log entry of `force` (any record kind would do: the rule reads only the owner). */
function entry(force: string | undefined, text = 'Caller reports a man with a crowbar at the back door'): AnyRecord {
  const id = randomUUID();
  const doc = { id, ...(force === undefined ? {} : { force }), incidentId: randomUUID(), kind: 'note', text, author: 'alice', workstation: 'WS-A', at: '2026-11-30T10:00:00.000Z' };
  return { kind: 'logEntry', id, doc } as AnyRecord;
}

const change = (record: AnyRecord, seq: number): RecordChange => ({ seq, kind: record.kind, id: record.id, doc: record.doc });

describe('the partition between forces', () => {
  it('shows a force its own records whole, and another force’s not at all', () => {
    const own = entry('DMO');
    expect(visibleTo('DMO', own)).toBe(own);
    expect(visibleTo('NBR', own)).toBeNull();
    expect(ownerOf(own)).toBe('DMO');
  });

  it('lets a force change its own records only, and says why not in words that name the owner but nothing of the record', () => {
    const own = entry('DMO');
    expect(mayChange('DMO', own)).toBe(true);
    expect(mayChange('NBR', own)).toBe(false);
    expect(refusalToChange('DMO', own)).toBeNull();
    const refusal = refusalToChange('NBR', own);
    expect(refusal).toBe('the log entry belongs to force DMO, which has not shared it with NBR to change: NBR may not change it');
    expect(refusal).not.toContain('crowbar');
  });

  it('refuses a change to another force\'s account without saying whose it is', () => {
    const nadia = { kind: 'operator', id: 'nadia', doc: { id: 'nadia', force: 'NBR', displayName: 'Nadia Novak', roles: ['dispatcher'], active: true, version: 1 } } as AnyRecord;
    const refusal = refusalToChange('DMO', nadia);
    expect(refusal).toBe('no operator named nadia at force DMO, and the name may not be used here: choose another');
    expect(refusal).not.toContain('NBR');
  });

  it('fails closed: an asker of no force sees and changes nothing, and a record naming no force is nobody’s', () => {
    const own = entry('DMO');
    for (const nobody of [null, undefined, '']) {
      expect(visibleTo(nobody, own)).toBeNull();
      expect(mayChange(nobody, own)).toBe(false);
    }
    expect(refusalToChange(null, own)).toMatch(/belongs to no force, so it may change nothing/);
    const orphan = entry(undefined);
    expect(visibleTo('DMO', orphan)).toBeNull();
    expect(mayChange('DMO', orphan)).toBe(false);
    expect(refusalToChange('DMO', orphan)).toMatch(/names no owning force/);
  });

  it('asks the share policy only about another force’s records, and gives what it grants: the cut, and whether it may change it', () => {
    const own = entry('DMO');
    const asked: string[] = [];
    // As the sharing round will: NBR is shown a summary of DMO's entry, without its text, and may not change it.
    const shares: SharePolicy = {
      grant(force, record) {
        asked.push(`${force}:${ownerOf(record)}`);
        return force === 'NBR' ? { record: { ...record, doc: { ...record.doc, text: '' } } as AnyRecord, mayChange: false } : null;
      },
    };
    expect(visibleTo('DMO', own, shares)).toBe(own);
    expect(asked).toEqual([]);
    expect(visibleTo('NBR', own, shares)?.doc).toMatchObject({ force: 'DMO', text: '' });
    expect(mayChange('NBR', own, shares)).toBe(false);
    expect(visibleTo('XYZ', own, shares)).toBeNull();
    expect(NO_SHARES.grant('NBR', own)).toBeNull();
  });

  it('puts several reasons to show a record together: the first grant gives the cut, any one lets it change the record', () => {
    const own = entry('DMO');
    const summary: SharePolicy = { grant: (force, record) => (force === 'NBR' ? { record: { ...record, doc: { ...record.doc, text: '' } } as AnyRecord, mayChange: false } : null) };
    const loan: SharePolicy = { grant: (force, record) => (force === 'NBR' ? { record, mayChange: true } : null) };
    const both = anyOf(NO_SHARES, summary, loan);
    expect(visibleTo('NBR', own, both)?.doc).toMatchObject({ text: '' });
    expect(mayChange('NBR', own, both)).toBe(true);
    expect(visibleTo('XYZ', own, both)).toBeNull();
    expect(anyOf().grant('NBR', own)).toBeNull();
  });
});

describe('the server’s filter on what leaves it', () => {
  it('gives a force’s pull only its own changes, in order; a workstation of no force gets none', () => {
    const page = [change(entry('DMO'), 1), change(entry('NBR'), 2), change(entry('DMO'), 3), { seq: 4, kind: 'no-such-kind', id: 'x', doc: { force: 'DMO' } }];
    expect(visibleChanges('DMO', page).map((c) => c.seq)).toEqual([1, 3]);
    expect(visibleChanges('NBR', page).map((c) => c.seq)).toEqual([2]);
    expect(visibleChanges(null, page)).toEqual([]);
  });

  it('sends each force the changes it may see and nothing else, not even a poke, each batch beginning where its force’s last ended', async () => {
    const sent = new Map<string, unknown[]>();
    const socket = (name: string) =>
      ({
        OPEN: 1,
        readyState: 1,
        bufferedAmount: 0,
        on: () => {},
        send: (message: string | Buffer) => sent.set(name, [...(sent.get(name) ?? []), JSON.parse(message.toString())]),
      }) as never;
    // The room's changes: 11 DMO's, 12 NBR's, 13 DMO's again; each read as one batch.
    const room = [change(entry('DMO'), 11), change(entry('NBR'), 12), change(entry('DMO'), 13)];
    const due: (() => void)[] = [];
    const hub = new LiveHub(10, {
      readChanges: async (since) => ({ since, upTo: since + 1, head: since + 1, hasMore: false, changes: room.filter((c) => c.seq === since + 1) }),
      defer: (flush) => due.push(flush),
      // Batches paced by their cost wait their turn here too, run by the loop below rather than by a timer.
      later: (flush) => due.push(flush),
      forces: ['DMO', 'NBR'],
    });
    const hello = { type: 'hello', head: 10, serverTime: '2026-11-30T10:00:00.000Z' } as const;
    hub.add(socket('dmo'), hello, { clientId: randomUUID(), schemaVersion: SCHEMA_VERSION, force: 'DMO' });
    hub.add(socket('nbr'), hello, { clientId: randomUUID(), schemaVersion: SCHEMA_VERSION, force: 'NBR' });
    hub.add(socket('nbr, an older workstation'), hello, { clientId: randomUUID(), schemaVersion: 4, force: 'NBR' });
    hub.add(socket('none'), hello, { clientId: randomUUID(), schemaVersion: SCHEMA_VERSION, force: null });
    sent.clear();
    for (const head of [11, 12, 13]) {
      hub.headMoved(head);
      while (due.length) {
        due.shift()!();
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    expect(sent.get('dmo')).toEqual([
      { type: 'changes', since: 10, upTo: 11, head: 11, changes: [room[0]] },
      // From 11, where DMO's last batch ended: 12 was nothing of DMO's, and DMO was not told of it.
      { type: 'changes', since: 11, upTo: 13, head: 13, changes: [room[2]] },
    ]);
    expect(sent.get('nbr')).toEqual([{ type: 'changes', since: 10, upTo: 12, head: 12, changes: [room[1]] }]);
    expect(sent.get('nbr, an older workstation')).toEqual([{ type: 'poke', head: 12 }]);
    expect(sent.get('none')).toBeUndefined();
  });
});

describe('a workstation’s data folder', () => {
  it('belongs to the force it was first started as: started as another force, the console stops and says so', () => {
    const dir = makeTempDir();
    const options = { dataDir: dir.path, workstation: 'WS-A', enrolmentKey: null, serverUrl: 'http://127.0.0.1:9', host: 'browser' as const, clock: systemClock, log: silentLog };
    try {
      createConsoleCore({ ...options, config: demoConfig }).stop();
      const neighbour = loadForceConfig(demonstrationForces()[1]!.configFile);
      expect(() => createConsoleCore({ ...options, config: neighbour })).toThrow(
        "this data folder is a workstation of force DMO, not NBR: start it with DMO's configuration, or give --data-dir a new folder for a workstation of NBR",
      );
      createConsoleCore({ ...options, config: demoConfig }).stop();
    } finally {
      dir.remove();
    }
  });
});

describe('npm start -- --force', () => {
  it('starts a workstation of the second demonstration force, in a folder of its own; an unknown force is refused in one line', () => {
    const [dmo, nbr] = demonstrationForces();
    const second = parseConsoleOptions(['--force', 'NBR', '--workstation', 'WS-1']);
    const first = parseConsoleOptions(['--workstation', 'WS-1']);
    if (second === 'help' || first === 'help') throw new Error('not help');
    expect(second.forceConfigFile).toBe(nbr!.configFile);
    expect(second.dataDir).not.toBe(first.dataDir);
    expect(second.dataDir.endsWith('WS-1-NBR')).toBe(true);
    expect(first.forceConfigFile).toBeUndefined(); // the first demonstration force, as before
    expect(parseConsoleOptions(['--force', 'dmo', '--workstation', 'WS-1'])).toMatchObject({ forceConfigFile: dmo!.configFile, dataDir: first.dataDir });
    expect(() => parseConsoleOptions(['--force', 'XYZ'])).toThrow('--force must be one of the demonstration forces, DMO or NBR, not "XYZ" (another force: --force-config FILE)');
    expect(() => parseConsoleOptions(['--force', 'NBR', '--force-config', 'x.json'])).toThrow('one or the other');
  });
});
