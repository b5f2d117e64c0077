import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { HttpServerLink, LinkError } from '../../main/sync/server-link';
import { blockFor } from '../../main/sync/link-problems';
import { describeBlock } from '../../renderer/features/status/describe-link';
import { ExerciseClock, type ExerciseClockState } from '../../shared/domain/exercise-clock';
import { ManualClock } from '../../shared/domain/time';
import { SCHEMA_VERSION, type ServerMode } from '../../shared/sync/protocol';
import { unverifiedLocation } from '../../shared/domain/location';
import { registerTestOperators, ticketFor } from '../fakes/access';
import { demoConfig, silentLog } from '../fakes/fixtures';

const START = Date.parse('2026-12-04T22:30:00Z');
let server: CentralServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serverOf(mode: ServerMode, clock = new ExerciseClock(START, new ManualClock(Date.parse('2026-11-30T10:00:00Z'))), storage = SqliteStorage.open(':memory:')): Promise<CentralServer> {
  server = await startCentralServer({
    storage,
    rules: { config: demoConfig, now: () => clock.now(), ...(mode === 'training' ? { training: true } : {}) },
    log: silentLog,
    port: 0,
    host: '127.0.0.1',
    enrolmentKey: 'exercise-code',
    ...(mode === 'training' ? { training: { clock } } : {}),
  });
  return server;
}

function workstation(url: string, mode: ServerMode, onExercise?: (state: ExerciseClockState) => void): HttpServerLink {
  let token: string | null = null;
  return new HttpServerLink({
    baseUrl: url,
    mode,
    ...(onExercise ? { onExercise } : {}),
    device: { clientId: randomUUID(), workstation: 'trainee-1', force: null, token: () => token, saveToken: (t) => (token = t), enrolmentKey: 'exercise-code' },
  });
}

/** What the workstation's status bar says when the server refuses it, or null when it was not refused for its mode. */
async function refusalShown(link: HttpServerLink): Promise<string | null> {
  try {
    await link.pull({ since: 0, clientId: randomUUID(), afterClientSeq: 0, limit: 10 });
    return null;
  } catch (error) {
    if (!(error instanceof LinkError) || error.problem?.kind !== 'mode') throw error;
    expect(error.retryable).toBe(false);
    return describeBlock(blockFor(error.problem, error.message, 4, '2026-11-30T10:00:00Z', '2026-11-30T10:10:00Z'));
  }
}

describe('live and training kept apart', () => {
  it('a training server’s incident references begin TRN-, on the exercise’s day', async () => {
    const storage = SqliteStorage.open(':memory:');
    const rules = { config: demoConfig, now: () => START };
    await registerTestOperators(storage, rules, ['alice']);
    const { url } = await serverOf('training', undefined, storage);
    const link = workstation(url, 'training');
    const clientId = (link as unknown as { options: { device: { clientId: string } } }).options.device.clientId;
    const ticket = await ticketFor(storage, 'alice', clientId, START + 86_400_000);
    const args = { incidentId: randomUUID(), provisionalReference: 'TRAINEE-1-P0001', type: 'ASB', location: unverifiedLocation('Market Square'), grade: '3', firstLog: null };
    const envelope = { ticket, commandId: randomUUID(), clientId, clientSeq: 1, name: 'incident.create', args, issuedAt: '2026-12-04T22:30:00.000Z', operator: 'alice', workstation: 'trainee-1', schemaVersion: SCHEMA_VERSION };
    const pushed = await link.push({ clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope] });
    expect(pushed.outcomes[0]).toMatchObject({ status: 'applied' });
    const page = await link.pull({ since: 0, clientId, afterClientSeq: 0, limit: 1000 });
    const incident = page.changes.find((change) => change.kind === 'incident');
    expect((incident?.doc as { reference: string }).reference).toBe('TRN-DMO-20261204-0001');
  });

  it('a training server refuses a live workstation, in words its operator reads', async () => {
    const { url } = await serverOf('training');
    expect(await refusalShown(workstation(url, 'live'))).toBe(
      'This server runs a training exercise: a live workstation may not join it. Start the workstation with the exercise code to join the exercise, or with the live server to work live',
    );
  });

  it('a live server refuses a training workstation', async () => {
    const { url } = await serverOf('live');
    expect(await refusalShown(workstation(url, 'training'))).toMatch(/^This is a live server: a training workstation may not join it/);
  });

  it('a request that does not say its mode is live, as every earlier build’s: a training server refuses it', async () => {
    const { url } = await serverOf('training');
    const enrol = await fetch(`${url}/v1/enrol`, { method: 'POST', body: JSON.stringify({ clientId: randomUUID(), workstation: 'old', enrolmentKey: 'exercise-code' }) });
    expect(enrol.status).toBe(409);
    expect(await enrol.json()).toMatchObject({ serverMode: 'training' });
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toMatchObject({ mode: 'training' });
  });

  it('a trainee’s workstation joins with the exercise code and is told the exercise clock, and each pause and speed', async () => {
    const real = new ManualClock(Date.parse('2026-11-30T10:00:00Z'));
    const clock = new ExerciseClock(START, real);
    const { url } = await serverOf('training', clock);
    const told: ExerciseClockState[] = [];
    const link = workstation(url, 'training', (state) => told.push(state));
    const page = await link.pull({ since: 0, clientId: (link as unknown as { options: { device: { clientId: string } } }).options.device.clientId, afterClientSeq: 0, limit: 10 });
    expect(page.since).toBe(0);
    let opened = false;
    const close = link.live({ onOpen: () => (opened = true), onMessage: () => {}, onClose: () => {} });
    try {
      await vi.waitFor(() => expect(told).toEqual([expect.objectContaining({ at: '2026-12-04T22:30:00.000Z', running: false, speed: 1, version: expect.objectContaining({ changes: 0 }) })]));
      expect(opened).toBe(true);
      clock.start();
      clock.setSpeed(8);
      real.advance(60_000);
      clock.pause();
      await vi.waitFor(() => expect(told.at(-1)).toMatchObject({ at: '2026-12-04T22:38:00.000Z', running: false, speed: 8, version: { changes: 3 } }));
      expect(told.map((state) => state.running)).toEqual([false, true, true, false]);
    } finally {
      close();
    }
  });
});
