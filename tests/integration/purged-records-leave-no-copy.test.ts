import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { call, eventually } from '../fakes/fixtures';
import { twoForceRoom, twoForceServerStorages } from '../fakes/two-force-servers';

// Issue 12, m4 (a try-out's finding): after DMO revoked a share and NBR's workstation deleted what it held of the
// incident, a number a DMO dispatcher wrote in the log was still in NBR's `-wal` file until the next checkpoint.
// Once a workstation deletes another force's records, nothing of them is left on its disk: not in the database file,
// its write-ahead log or its shared-memory index.
const NUMBER = '07700 900777';
const LINE = `Witness on ${NUMBER} saw the van turn north`;
const storages = twoForceServerStorages();

describe.each(storages)('what a workstation deletes of another force’s incident, on $name', ({ start }) => {
  const room = twoForceRoom(start);
  const { workstation } = room;

  /** A workstation's SQLite file, its write-ahead log and its shared-memory index, those on disk, each with every byte as anyone with the disk could read it. */
  const diskFiles = (name: string): { file: string; bytes: string }[] => {
    const file = join(room.dir.path, name, 'workstation.sqlite');
    return [file, `${file}-wal`, `${file}-shm`].filter((f) => existsSync(f)).map((f) => ({ file: f, bytes: readFileSync(f).toString('latin1') }));
  };
  const diskBytes = (name: string): string => diskFiles(name).map(({ bytes }) => bytes).join('');

  /** DMO's incident (its first line carrying the caller's number), shared with NBR at the assist tier, its log on NBR's workstation. */
  const sharedWithNbr = async () => {
    const dmo = workstation('WS-DMO', 'DMO');
    const nbr = workstation('WS-NBR', 'NBR');
    await call(dmo, 'session.signIn', { operator: 'dan', password: 'demo' });
    await call(nbr, 'session.signIn', { operator: 'quinn', password: 'demo' });
    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', { type: 'BURGLARY', location: unverifiedLocation('Border Road, Crossways'), grade: '2', firstLog: LINE });
    await eventually(() => dmo.store.view.incident(incident.id)?.reference != null && !dmo.store.view.incident(incident.id)!.pending, 'the server has given the incident its reference');
    const { share } = await call<{ share: { id: string } }>(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'assist', reason: 'NBR units are nearer' });
    await eventually(() => nbr.store.view.logOf(incident.id).some((e) => e.text === LINE), 'NBR holds the log line');
    return { dmo, nbr, incident, share };
  };

  it('leaves no copy of a revoked share’s log on the other force’s disk', async () => {
    const { dmo, nbr, incident, share } = await sharedWithNbr();
    // NBR's disk holds it now, so its going is seen.
    expect(diskBytes('WS-NBR')).toContain(NUMBER);

    await call(dmo, 'shares.revoke', { shareId: share.id, reason: 'Suspects arrested in our area' });
    await eventually(() => nbr.store.view.incident(incident.id) === undefined && nbr.store.view.logOf(incident.id).length === 0, 'NBR has deleted the incident and its log');
    // At once: the deletion and the cutting of the write-ahead log are one step, not left to a later checkpoint.
    expect(diskFiles('WS-NBR').filter(({ bytes }) => bytes.includes(NUMBER)).map(({ file }) => file), 'the files that still hold the number').toEqual([]);
    expect(diskBytes('WS-NBR')).not.toContain(NUMBER);
  });

  // The same, with a reader holding an older snapshot of NBR's file as the share is revoked (a backup, an inspection):
  // the log could not be cut then, and, being small, was never cut after. Once the reader lets go, it is.
  it('cuts the write-ahead log once a reader that held it off lets go, however small the log', async () => {
    const { dmo, nbr, incident, share } = await sharedWithNbr();

    const reader = new Database(join(room.dir.path, 'WS-NBR', 'workstation.sqlite'), { readonly: true });
    try {
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM sqlite_master').get();
      await call(dmo, 'shares.revoke', { shareId: share.id, reason: 'Suspects arrested in our area' });
      await eventually(() => nbr.store.view.incident(incident.id) === undefined && nbr.store.view.logOf(incident.id).length === 0, 'NBR has deleted the incident and its log');
      expect(diskBytes('WS-NBR'), 'held off by the reader').toContain(NUMBER);
      reader.exec('COMMIT');
    } finally {
      reader.close();
    }
    // The workstation's upkeep looks every 10 s.
    await eventually(() => !diskBytes('WS-NBR').includes(NUMBER), 'nothing of the log line is left on NBR’s disk', 25_000);
  }, 60_000);
});
