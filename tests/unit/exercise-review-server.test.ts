import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { HttpServerLink, LinkError } from '../../main/sync/server-link';
import { ExerciseClock } from '../../shared/domain/exercise-clock';
import { ManualClock } from '../../shared/domain/time';
import { derivedId } from '../../shared/domain/derived-id';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { assetPath } from '../../node-common/app-paths';
import { loadScenario } from '../../node-common/scenario-file';
import { registerTestOperators, ticketFor } from '../fakes/access';
import { demoConfig, silentLog } from '../fakes/fixtures';

const scenario = loadScenario(join(assetPath('exercises'), 'friday-night.json'), demoConfig);
const START = Date.parse(scenario.startsAt);
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString();
let server: CentralServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/**
 * The training server, as `npm start -- --exercise` starts it, with one workstation (the trainer's, which relays the
 * scenario's calls) that alice answers at and tina reviews from.
 */
async function exercise() {
  const storage = SqliteStorage.open(':memory:');
  const real = new ManualClock(Date.parse('2026-11-30T10:00:00Z'));
  const clock = new ExerciseClock(START, real);
  await registerTestOperators(storage, { config: demoConfig, now: () => START }, ['alice']);
  await registerTestOperators(storage, { config: demoConfig, now: () => START }, ['tina'], ['trainer']);
  server = await startCentralServer({
    storage,
    rules: { config: demoConfig, now: () => clock.now(), training: true },
    log: silentLog,
    port: 0,
    host: '127.0.0.1',
    enrolmentKey: 'exercise-code',
    training: { clock, scenario },
  });
  const clientId = randomUUID();
  let token: string | null = null;
  const link = new HttpServerLink({
    baseUrl: server.url,
    mode: 'training',
    device: { clientId, workstation: 'trainer', force: null, token: () => token, saveToken: (t) => (token = t), enrolmentKey: 'exercise-code' },
  });
  let seq = 0;
  const send = async (name: string, args: unknown, issuedAt: string, operator: string) => {
    const relay = operator === 'telephony' ? { relay: { kind: 'telephony' as const } } : {};
    const ticket = relay.relay ? '' : await ticketFor(storage, operator, clientId, START + 86_400_000);
    const envelope: CommandEnvelope = { ticket, commandId: randomUUID(), clientId, clientSeq: ++seq, name, args, issuedAt, operator, workstation: 'trainer', schemaVersion: SCHEMA_VERSION, ...relay };
    const pushed = await link.push({ clientId, schemaVersion: SCHEMA_VERSION, commands: [envelope] });
    expect(pushed.outcomes[0]).toMatchObject({ status: 'applied' });
  };
  const asker = async (operator: string) => ({ operator, ticket: await ticketFor(storage, operator, clientId, START + 86_400_000), issuedAt: at(0) });
  return { clock, real, link, clientId, send, asker };
}

describe("the training server's after-action review", () => {
  it("gives the trainer each scenario call's answer time as the record has it, on the exercise clock", async () => {
    const { clock, real, link, clientId, send, asker } = await exercise();
    clock.start();
    real.advance(60_000);
    const contactId = derivedId(clientId, 'fri-fight');
    await send('contact.receive', { contactId, source: '999', callerNumber: '07700 900111', receivedAt: at(20), handsetLocation: null }, at(20), 'telephony');
    await send('contact.answer', { contactId }, at(27), 'alice');
    const review = await link.review(await asker('tina'));
    expect(review.calls).toEqual([expect.objectContaining({ callId: 'fri-fight', answeredBy: 'alice', answerSeconds: 7, answerInTime: true })]);
    expect(review.events.filter((e) => e.callId === 'fri-fight').map((e) => [e.kind, e.by])).toEqual([
      ['inject', null],
      ['rang', 'telephony'],
      ['answered', 'alice'],
    ]);
    expect(review.trainees.map((t) => t.operator)).toEqual(['alice']);
    expect(review.measures.calls).toMatchObject({ offered999: 1, within10s999: 1 });
    expect([review.from, review.to]).toEqual([scenario.startsAt, at(60)]);
  });

  it('puts nothing after its own end, though a trainee’s desk that ran ahead of the exercise clock said later times', async () => {
    const { clock, real, link, clientId, send, asker } = await exercise();
    clock.start();
    real.advance(60_000);
    const contactId = derivedId(clientId, 'fri-fight');
    await send('contact.receive', { contactId, source: '999', callerNumber: '07700 900111', receivedAt: at(20), handsetLocation: null }, at(20), 'telephony');
    // The desk's clock is at 1:30 and 1:35 while the exercise's stands at 1:00 (it ran on through a pause it never heard).
    await send('contact.answer', { contactId }, at(90), 'alice');
    await send('moment.recorded', { what: 'graded', contactId, grade: '1' }, at(95), 'alice');
    const review = await link.review(await asker('tina'));
    expect(review.to).toBe(at(60));
    const events = review.events.filter((e) => e.callId === 'fri-fight');
    expect(events.map((e) => e.kind)).toEqual(['inject', 'rang', 'answered', 'graded']);
    for (const event of events) expect(Date.parse(event.at)).toBeLessThanOrEqual(Date.parse(review.to));
  });

  it('refuses anyone but a trainer, in words', async () => {
    const { link, asker } = await exercise();
    const refused = await link.review(await asker('alice')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LinkError);
    expect((refused as LinkError).message).toBe('alice (call handler, dispatcher, supervisor) may not see the exercise review: only a trainer may');
  });
});
