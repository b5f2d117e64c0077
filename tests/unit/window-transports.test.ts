import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCordonApi } from '../../renderer/api/cordon-api';
import { electronTransport } from '../../renderer/api/electron-transport';
import { websocketTransport } from '../../renderer/api/websocket-transport';
import type { PreloadBridge } from '../../renderer/api/transport';
import { CoreLink } from '../../main/hosts/electron/core-link';
import type { ToCore } from '../../main/hosts/electron/core-messages';
import type { Reply } from '../../shared/contract/errors';

/** A browser WebSocket the test opens, closes and answers through, as the browser host's socket would behave. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readonly sent: { id: number; channel: string; meta?: { requestId: string; startBy: number } }[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: URL) {
    FakeSocket.all.push(this);
  }
  send(message: string) {
    this.sent.push(JSON.parse(message));
  }
  open() {
    this.onopen?.();
  }
  drop() {
    this.onclose?.();
  }
  answer(id: number, reply: Reply) {
    this.onmessage?.({ data: JSON.stringify({ type: 'reply', id, reply }) });
  }
}

const addLog = { incidentId: '6f1c2a4e-0000-4000-8000-000000000001', text: 'Units on scene' };

/** Settles the promise's outcome into a value, so a test can see whether it has settled at all. */
function watch<T>(promise: Promise<T>): { done: boolean; value?: unknown } {
  const state: { done: boolean; value?: unknown } = { done: false };
  promise.then(
    (value) => Object.assign(state, { done: true, value }),
    (error: unknown) => Object.assign(state, { done: true, value: error }),
  );
  return state;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('the browser host’s transport', () => {
  it('answers a request made while the link is down, at its deadline, as not done, and never sends it afterwards', async () => {
    const api = createCordonApi(websocketTransport('key', 'http://127.0.0.1:4000/?role=incidents'));
    const answer = watch(api.call('incidents.addLog', addLog));
    await vi.advanceTimersByTimeAsync(15_000);
    expect(answer).toMatchObject({ done: true, value: { code: 'timeout', message: expect.stringMatching(/could not be reached in time, so this was not done/) } });

    const socket = FakeSocket.all.at(-1)!;
    socket.open();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all.flatMap((s) => s.sent)).toEqual([]);
  });

  it('sends a request again, with the same id, on the next socket when the one it went on closed before the answer', async () => {
    const api = createCordonApi(websocketTransport('key', 'http://127.0.0.1:4000/?role=incidents'));
    const first = FakeSocket.all[0]!;
    first.open();
    const answer = watch(api.call('incidents.addLog', addLog));
    expect(first.sent).toHaveLength(1);
    first.drop();
    await vi.advanceTimersByTimeAsync(1_000); // it reconnects by itself
    const second = FakeSocket.all.at(-1)!;
    second.open();
    expect(second.sent.map((m) => m.meta?.requestId)).toEqual([first.sent[0]!.meta?.requestId]);
    second.answer(second.sent[0]!.id, { ok: true, value: { entry: null } });
    await vi.advanceTimersByTimeAsync(0);
    expect(answer.done).toBe(true);
  });

  it('says an action it sent may have been done when no answer comes in time, and sends the same action again with the same id', async () => {
    const api = createCordonApi(websocketTransport('key', 'http://127.0.0.1:4000/?role=incidents'));
    const socket = FakeSocket.all[0]!;
    socket.open();
    const answer = watch(api.call('incidents.addLog', addLog));
    const [sent] = socket.sent;
    // The core must start it before the window gives up, with time left for the answer to come back.
    expect(sent!.meta!.startBy).toBeLessThan(Date.now() + 15_000);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(answer).toMatchObject({ done: true, value: { code: 'timeout', message: expect.stringMatching(/It may have done this.*never done twice/) } });

    void api.call('incidents.addLog', addLog).catch(() => undefined);
    void api.call('incidents.addLog', { ...addLog, text: 'Something else' }).catch(() => undefined);
    const [retry, other] = socket.sent.slice(1);
    expect(retry!.meta!.requestId).toBe(sent!.meta!.requestId);
    expect(other!.meta!.requestId).not.toBe(sent!.meta!.requestId);
  });
});

describe('the Electron transport (against a test double of the preload)', () => {
  it('gives the core each request’s id and deadline, and answers at the deadline when the core does not', async () => {
    const invoked: unknown[][] = [];
    const bridge: PreloadBridge = {
      invoke: (...args: unknown[]) => {
        invoked.push(args);
        return new Promise<Reply>(() => undefined); // a core that is stuck
      },
      on: () => () => undefined,
    };
    const api = createCordonApi(electronTransport(bridge));
    const answer = watch(api.call('incidents.addLog', addLog));
    expect(invoked).toEqual([['incidents.addLog', addLog, { requestId: expect.any(String), startBy: Date.now() + 13_000 }]]);
    await vi.advanceTimersByTimeAsync(14_999);
    expect(answer.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(answer).toMatchObject({ done: true, value: { code: 'timeout', message: expect.stringMatching(/It may have done this/) } });
  });

  it('in the main process, waits for the core process only until the window’s deadline, and ignores an answer that comes later', async () => {
    const posted: ToCore[] = [];
    const link = new CoreLink((message) => posted.push(message), () => undefined);
    const meta = { requestId: '6f1c2a4e-0000-4000-8000-000000000002', startBy: Date.now() + 13_000 };
    const answer = watch(link.request('incidents.addLog', addLog, meta));
    expect(posted).toEqual([{ type: 'request', id: 1, channel: 'incidents.addLog', request: addLog, meta }]);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(answer).toMatchObject({ done: true, value: { ok: false, error: { code: 'timeout' } } });
    link.receive({ type: 'reply', id: 1, reply: { ok: true, value: {} } });
    expect(answer).toMatchObject({ value: { ok: false } });
  });
});
