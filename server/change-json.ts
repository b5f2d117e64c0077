import type { RecordChange } from '../shared/sync/protocol';

/**
 * Changes read from storage, and sent as JSON, without parsing or serialising the same record version twice.
 *
 * Why: a room back after its server restarted pulls from the cursor it stood at, each workstation as it comes back,
 * so the server reads, parses, serialises and encodes the same versions of the same records once for every
 * workstation: measured (issue 15, 200 workstations, 20 commands queued each) 658 pulls of 246 MB, a page of about
 * 3,000 changes for each workstation back, and that was a third to a half of the server's time until the room was
 * drained. A record version is at one seq, and what is stored at that seq never changes (a record written again
 * moves to a new seq), so a version read again is the object read before, and is sent as the bytes made before.
 */

/** A record version as read from storage: its change, its stored text, and (once sent) the change as JSON bytes. */
interface StoredVersion {
  change: RecordChange;
  text: string;
  bytes?: Buffer;
}

/** A record row as both storages read it: records.doc is the document's JSON text. */
export interface StoredRow {
  seq: number;
  kind: string;
  id: string;
  doc: string;
}

/** The versions read, by their document (the object every way out passes on when it sends a version as read). */
const versionOfDoc = new WeakMap<object, StoredVersion>();

/**
 * How many record versions one storage keeps parsed: a room's recent state, about 360 bytes of text a change (so
 * some tens of MB with the parsed objects). Past it the least recently read go.
 */
export const STORED_VERSIONS_KEPT = 20_000;

/**
 * One storage's record versions as read (one per storage: two databases share no seqs). `change` gives the row as a
 * RecordChange, the same object each time the same version is read. Safe whatever the database does: a version is
 * reused only where the row's text is the text it was parsed from (a string compare, where JSON.parse was the cost).
 */
export class StoredVersions {
  private readonly versions = new Map<number, StoredVersion>();

  constructor(private readonly kept = STORED_VERSIONS_KEPT) {}

  /** The row as a change (its doc parsed from records.doc). Throws SyntaxError for a doc that is not JSON. */
  change(row: StoredRow): RecordChange {
    const known = this.versions.get(row.seq);
    if (known) {
      this.versions.delete(row.seq);
      if (known.text === row.doc && known.change.kind === row.kind && known.change.id === row.id) {
        this.versions.set(row.seq, known);
        return known.change;
      }
    }
    const change: RecordChange = { seq: row.seq, kind: row.kind, id: row.id, doc: JSON.parse(row.doc) as unknown };
    const version: StoredVersion = { change, text: row.doc };
    if (change.doc !== null && typeof change.doc === 'object') versionOfDoc.set(change.doc, version);
    this.versions.set(row.seq, version);
    if (this.versions.size > this.kept) this.versions.delete(this.versions.keys().next().value!);
    return change;
  }
}

/** The fields a RecordChange has (shared/sync/protocol.ts); a change with any other is serialised whole. */
const CHANGE_FIELDS = new Set(['seq', 'kind', 'id', 'doc', 'erased']);

/**
 * A change as JSON bytes. A version sent as it was read (the same seq, kind, id and document object, however the way
 * out copied the change) is written once, from its stored text, and its bytes kept with it; any other (a share's cut,
 * an older workstation's words, a withdrawal) is serialised.
 */
function changeBytes(change: RecordChange): Buffer {
  const version = change.doc !== null && typeof change.doc === 'object' ? versionOfDoc.get(change.doc) : undefined;
  const asRead =
    version !== undefined &&
    version.change.seq === change.seq &&
    version.change.kind === change.kind &&
    version.change.id === change.id &&
    change.erased === undefined &&
    Object.keys(change).every((key) => CHANGE_FIELDS.has(key));
  if (!asRead) return Buffer.from(JSON.stringify(change));
  version.bytes ??= Buffer.from(`{"seq":${change.seq},"kind":${JSON.stringify(change.kind)},"id":${JSON.stringify(change.id)},"doc":${version.text}}`);
  return version.bytes;
}

const OPEN = Buffer.from('{"changes":[');
const COMMA = Buffer.from(',');

/**
 * A message carrying changes (a pull page, a live batch) as UTF-8 JSON: what JSON.stringify(message) gives, read
 * back, each change as changeBytes makes it. As bytes, so that sending it neither measures nor encodes it again.
 */
export function messageJson(message: { readonly changes: readonly RecordChange[] }): Buffer {
  const { changes, ...rest } = message;
  const others = JSON.stringify(rest);
  const parts: Buffer[] = [OPEN];
  changes.forEach((change, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(changeBytes(change));
  });
  parts.push(Buffer.from(others === '{}' ? ']}' : `],${others.slice(1)}`));
  return Buffer.concat(parts);
}
