import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { audienceOf, changeForClient } from '../../server/changes-for';
import { Share } from '../../shared/domain/share';
import { SCHEMA_VERSION, TRANSFER_SHARES_SINCE_VERSION, type RecordChange } from '../../shared/sync/protocol';

// Workstations are upgraded one at a time, so a server speaks to builds older than itself. A page holding one record
// an older build cannot parse is refused whole, and that workstation stops there for good. A share left by a
// transfer (`how: 'transfer'`, the view its former owner keeps) is a word builds before 10 do not know.
const share = {
  id: '7d0c8f1e-5b1a-4f0e-9a53-0a4f1c2b3d4e',
  force: 'NBR',
  incidentId: '2a9c3e1f-8b7d-4c6e-9f0a-1b2c3d4e5f60',
  sharedWith: 'DMO',
  tier: 'view',
  how: 'transfer',
  reason: 'by the transfer omar accepted',
  by: 'omar',
  at: '2026-12-02T10:00:00.000Z',
  revoked: null,
  version: 1,
};
const change: RecordChange = { seq: 7, kind: 'share', id: share.id, doc: share };
/** How a build of schema 9 read a share: its `how` had three words. */
const ShareOfNine = z.object({ how: z.enum(['automatic', 'by_hand', 'arrangement']) }).passthrough();

describe('a share left by a transfer, sent to workstations of each schema version', () => {
  it('is a share this build reads, with its word', () => {
    expect(Share.parse(share).how).toBe('transfer');
    const sent = changeForClient(change, SCHEMA_VERSION);
    expect(sent.doc).toMatchObject({ how: 'transfer' });
  });

  it('reaches a workstation before 10 in words it can read (made by hand), so its pull goes on', () => {
    // changesFor puts every change it sends in the recipient's words through changeForClient.
    const sent = changeForClient(change, TRANSFER_SHARES_SINCE_VERSION - 1);
    expect(sent).toMatchObject({ seq: 7, kind: 'share', id: share.id });
    expect(ShareOfNine.parse(sent.doc).how).toBe('by_hand');
    expect(() => ShareOfNine.parse(share)).toThrow();
  });

  it('puts workstations of 9 and of 10 in different audiences, so a live batch serialised once for one is never sent to the other', () => {
    expect(audienceOf({ clientId: 'a', schemaVersion: 9, force: 'DMO' })).not.toEqual(audienceOf({ clientId: 'b', schemaVersion: 10, force: 'DMO' }));
  });
});
