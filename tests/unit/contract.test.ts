import { describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/contract/channel-names';
import { channels, channelNames } from '../../shared/contract/channels';
import { ApiError } from '../../shared/contract/errors';
import { parseEvent, parseRequest, parseResponse } from '../../shared/contract/validate';
import { createDispatcher, type Handlers } from '../../main/core/dispatcher';
import { unverifiedLocation } from '../../shared/domain/location';

const incidentId = '7b0c3c1e-2f4a-4c57-9a5e-0f7f5a3c2d10';

function handlersSpy() {
  const calls: string[] = [];
  const record = (name: string) => vi.fn(() => {
    calls.push(name);
    throw new Error('not under test');
  });
  const handlers = Object.fromEntries(channelNames.map((name) => [name, record(name)])) as unknown as Handlers;
  return { handlers, calls };
}

describe('the renderer–core contract', () => {
  it('lists the same channels in the schema table and in the name list the preload uses', () => {
    expect([...CHANNEL_NAMES].sort()).toEqual(Object.keys(channels).sort());
  });

  it('refuses an unknown channel by name', () => {
    expect(() => parseRequest('incidents.drop', {})).toThrow(new ApiError('unknown_channel', 'unknown channel "incidents.drop"'));
  });

  it('names every wrong field of a bad request', () => {
    try {
      parseRequest('incidents.create', { type: '', location: unverifiedLocation('   '), grade: '1', firstLog: null });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('bad_request');
      expect((error as ApiError).message).toContain('type: choose an incident type');
      expect((error as ApiError).message).toContain('location.text: a location is needed');
    }
  });

  it('words a bad request for the form that shows it, without the channel’s name (a try-out’s minor: the sign-in form read "session.signIn: password: …")', () => {
    expect(() => parseRequest('session.signIn', { operator: 'alice', password: '' })).toThrow(new ApiError('bad_request', 'password: enter your password'));
  });

  it('refuses fields the contract does not know, so a typo cannot be silently ignored', () => {
    expect(() => parseRequest('incidents.addLog', { incidentId, text: 'x', incident: 'other' })).toThrow(/unrecognized key/i);
  });

  it('accepts a valid request and fills defaults', () => {
    expect(parseRequest('incidents.list', {})).toEqual({ status: 'open' });
  });

  it('checks responses and events arriving in the renderer too', () => {
    expect(() => parseResponse('incidents.create', { incident: { id: 'not-a-uuid' } })).toThrow(/answered badly/);
    expect(() => parseEvent('sync.status', { connection: 'sideways' })).toThrow(/event sync.status/);
    expect(() => parseEvent('nothing.happened', {})).toThrow(/unknown event/);
  });
});

describe('the core dispatcher', () => {
  it('answers a bad request with a clear error without running any handler', async () => {
    const { handlers, calls } = handlersSpy();
    const dispatch = createDispatcher(handlers, () => {});
    const replies = await Promise.all([
      dispatch('incidents.addLog', { incidentId: 'nope', text: '' }),
      dispatch('incidents.create', 'not an object'),
      dispatch({ toString: 'evil' }, {}),
      dispatch('__proto__', {}),
      dispatch('constructor', {}),
    ]);
    expect(calls).toEqual([]);
    expect(replies.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['bad_request', 'bad_request', 'unknown_channel', 'unknown_channel', 'unknown_channel']);
  });

  it('hides internal failures behind a generic message and reports them to the log', async () => {
    const { handlers } = handlersSpy();
    const logged: string[] = [];
    const dispatch = createDispatcher(handlers, (_error, channel) => logged.push(channel));
    const reply = await dispatch('sync.status', {});
    expect(reply).toEqual({ ok: false, error: { code: 'internal', message: expect.stringContaining('logged') } });
    expect(logged).toEqual(['sync.status']);
  });

  it('refuses to pass on a response that breaks the contract', async () => {
    const { handlers } = handlersSpy();
    const broken = { ...handlers, 'sync.status': () => ({ connection: 'online' }) } as unknown as Handlers;
    const reply = await createDispatcher(broken, () => {})('sync.status', {});
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error.code).toBe('internal');
  });
});
