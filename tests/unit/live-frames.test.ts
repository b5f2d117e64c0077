import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readLiveFrame } from '../../main/sync/live-frames';

const batch = {
  type: 'changes',
  since: 4,
  upTo: 5,
  head: 5,
  changes: [{ seq: 5, kind: 'logEntry', id: 'e5', doc: { id: 'e5', force: 'DMO', text: 'Suspect gave a false name' } }],
};
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('a frame of the live channel, as the workstation reads it', () => {
  it('reads a batch sent as text, and the same batch sent compressed', () => {
    expect(readLiveFrame(bytes(batch), false)).toEqual(batch);
    expect(readLiveFrame(deflateRawSync(bytes(batch)), true)).toEqual(batch);
  });

  it('drops a frame that is not one: bad compression, not JSON, not a message of the protocol', () => {
    expect(readLiveFrame(Buffer.from('not compressed at all'), true)).toBeNull();
    expect(readLiveFrame(deflateRawSync(Buffer.from('{"type":')), true)).toBeNull();
    expect(readLiveFrame(deflateRawSync(bytes({ type: 'changes', since: 'four' })), true)).toBeNull();
    // Compressed bytes sent as a text frame are not read as compressed.
    expect(readLiveFrame(deflateRawSync(bytes(batch)), false)).toBeNull();
  });

  it('opens a compressed frame no further than its limit: one that would open larger is dropped, not read', () => {
    const padded = { ...batch, changes: [{ ...batch.changes[0]!, doc: { ...batch.changes[0]!.doc, text: 'x'.repeat(64 * 1024) } }] };
    const frame = deflateRawSync(bytes(padded));
    expect(frame.length).toBeLessThan(1024);
    expect(readLiveFrame(frame, true, 32 * 1024)).toBeNull();
    expect(readLiveFrame(frame, true, 128 * 1024)).toEqual(padded);
  });
});
