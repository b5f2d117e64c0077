import { describe, expect, it } from 'vitest';
import { messageJson, StoredVersions } from '../../server/change-json';
import type { PullResponse, RecordChange } from '../../shared/sync/protocol';

const incidentText = '{"id":"i1","force":"DMO","summary":"Fight – outside \\"The Anchor\\" \\u2028 café","grade":"1","log":[{"at":"2026-10-25T01:30:00.000Z"}]}';
const unitText = '{"id":"u1","force":"DMO","callSign":"DM-11","location":{"lat":50.9,"lon":-1.4}}';
const changesOf = (bytes: Buffer) => (JSON.parse(bytes.toString('utf8')) as { changes: unknown[] }).changes;

describe('changes read from storage and sent as JSON (server/change-json.ts)', () => {
  it('a pull page reads back as the page itself, as JSON.stringify would have written it', () => {
    const stored = new StoredVersions();
    const page: PullResponse = {
      since: 4,
      upTo: 9,
      head: 12,
      changes: [stored.change({ seq: 5, kind: 'incident', id: 'i1', doc: incidentText }), stored.change({ seq: 7, kind: 'unit', id: 'u1', doc: unitText }), { seq: 9, kind: 'share', id: 's1', doc: null, erased: true }],
      hasMore: true,
      lastClientSeq: 3,
      rejected: [{ commandId: 'c1', clientSeq: 2, status: 'rejected', code: 'conflict', reason: 'taken by "carol"' }],
    };
    expect(JSON.parse(messageJson(page).toString('utf8'))).toEqual(JSON.parse(JSON.stringify(page)));
    expect(messageJson({ changes: [] }).toString('utf8')).toBe('{"changes":[]}');
  });

  it('a version sent as it was read is written as the text it was stored as, however the way out copied the change', () => {
    const stored = new StoredVersions();
    // Stored with spacing JSON.stringify would not write: the bytes show which was sent.
    const read = stored.change({ seq: 3, kind: 'unit', id: 'u1', doc: '{ "id": "u1",  "callSign": "DM-11" }' });
    const copied: RecordChange = { seq: read.seq, kind: read.kind, id: read.id, doc: read.doc }; // as visibleChange passes it on
    expect(messageJson({ changes: [copied] }).toString('utf8')).toBe('{"changes":[{"seq":3,"kind":"unit","id":"u1","doc":{ "id": "u1",  "callSign": "DM-11" }}]}');
  });

  it('a version read again is the object read before; a row whose text differs at the same seq is read afresh', () => {
    const stored = new StoredVersions();
    const first = stored.change({ seq: 3, kind: 'unit', id: 'u1', doc: unitText });
    expect(stored.change({ seq: 3, kind: 'unit', id: 'u1', doc: unitText })).toBe(first);
    // Another database behind the same seq (restored, say): never the old document.
    const other = stored.change({ seq: 3, kind: 'unit', id: 'u1', doc: '{"id":"u1","callSign":"DM-12"}' });
    expect(other).not.toBe(first);
    expect(changesOf(messageJson({ changes: [other] }))).toEqual([{ seq: 3, kind: 'unit', id: 'u1', doc: { id: 'u1', callSign: 'DM-12' } }]);
    expect(stored.change({ seq: 3, kind: 'incident', id: 'u1', doc: '{"id":"u1","callSign":"DM-12"}' }).kind).toBe('incident');
  });

  it('a change the way out made anew (a share cut, older words, another seq, another field) is written from the object', () => {
    const stored = new StoredVersions();
    const read = stored.change({ seq: 3, kind: 'incident', id: 'i1', doc: incidentText });
    const cut: RecordChange = { ...read, doc: { id: 'i1', force: 'DMO', grade: '1' } };
    expect(changesOf(messageJson({ changes: [cut] }))).toEqual([{ seq: 3, kind: 'incident', id: 'i1', doc: { id: 'i1', force: 'DMO', grade: '1' } }]);
    const sentAgainLater: RecordChange = { ...read, seq: 8 }; // a share handing the record over at its own place
    expect(changesOf(messageJson({ changes: [sentAgainLater] }))).toEqual([{ ...JSON.parse(JSON.stringify(read)), seq: 8 }]);
    const odd = { ...read, note: 'x' } as RecordChange;
    expect(changesOf(messageJson({ changes: [odd] }))).toEqual([{ ...JSON.parse(JSON.stringify(read)), note: 'x' }]);
  });

  it('keeps the versions read last, up to its size', () => {
    const stored = new StoredVersions(2);
    const one = stored.change({ seq: 1, kind: 'unit', id: 'u1', doc: unitText });
    const two = stored.change({ seq: 2, kind: 'unit', id: 'u2', doc: unitText });
    expect(stored.change({ seq: 1, kind: 'unit', id: 'u1', doc: unitText })).toBe(one); // read again: the latest now
    stored.change({ seq: 3, kind: 'unit', id: 'u3', doc: unitText }); // u2 goes
    expect(stored.change({ seq: 1, kind: 'unit', id: 'u1', doc: unitText })).toBe(one);
    expect(stored.change({ seq: 2, kind: 'unit', id: 'u2', doc: unitText })).not.toBe(two);
    const null_ = stored.change({ seq: 4, kind: 'unit', id: 'u4', doc: 'null' });
    expect(messageJson({ changes: [null_] }).toString('utf8')).toBe('{"changes":[{"seq":4,"kind":"unit","id":"u4","doc":null}]}');
  });
});
