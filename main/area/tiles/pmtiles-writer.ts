import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { zxyToTileId } from 'pmtiles';
import type { BBox, LngLat } from '../../../shared/area/geo';

/**
 * Writes a PMTiles v3 archive (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md) of gzipped
 * vector tiles. npm has readers but no writer; this is the short one the format allows: tiles in tile-id order,
 * identical tiles stored once, the directory split into leaves only when the root would not fit in 16 KiB.
 */
export interface TileArchiveHeader {
  minZoom: number;
  maxZoom: number;
  bounds: BBox;
  center: LngLat;
  centerZoom: number;
  metadata: Record<string, unknown>;
}

interface Entry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

const HEADER_BYTES = 127;
const ROOT_BUDGET = 16_384 - HEADER_BYTES;
const GZIP = 2;
const MVT = 1;

export class TileArchiveWriter {
  private readonly tiles = new Map<number, Buffer>();

  /** Adds one tile's uncompressed MVT bytes; an empty tile is not stored (a reader then finds none, as it should). */
  add(z: number, x: number, y: number, mvt: Uint8Array): void {
    if (mvt.length === 0) return;
    this.tiles.set(zxyToTileId(z, x, y), gzipSync(mvt, { level: 9 }));
  }

  get tileCount(): number {
    return this.tiles.size;
  }

  /** The whole archive, ready to write to one file. */
  finish(header: TileArchiveHeader): Buffer {
    const ids = [...this.tiles.keys()].sort((a, b) => a - b);
    const entries: Entry[] = [];
    const chunks: Buffer[] = [];
    const offsetsByHash = new Map<string, { offset: number; length: number }>();
    let dataLength = 0;
    for (const tileId of ids) {
      const bytes = this.tiles.get(tileId)!;
      const hash = createHash('sha256').update(bytes).digest('base64');
      let stored = offsetsByHash.get(hash);
      if (!stored) {
        stored = { offset: dataLength, length: bytes.length };
        offsetsByHash.set(hash, stored);
        chunks.push(bytes);
        dataLength += bytes.length;
      }
      const last = entries[entries.length - 1];
      // A run of consecutive tile ids with the same content is one entry.
      if (last && last.offset === stored.offset && last.tileId + last.runLength === tileId) last.runLength++;
      else entries.push({ tileId, offset: stored.offset, length: stored.length, runLength: 1 });
    }

    const { root, leaves } = buildDirectories(entries);
    const metadata = gzipSync(Buffer.from(JSON.stringify(header.metadata)));
    const rootOffset = HEADER_BYTES;
    const metadataOffset = rootOffset + root.length;
    const leafOffset = metadataOffset + metadata.length;
    const dataOffset = leafOffset + leaves.length;

    const head = Buffer.alloc(HEADER_BYTES);
    head.write('PMTiles', 0, 'ascii');
    head.writeUInt8(3, 7);
    const u64 = (value: number, at: number) => head.writeBigUInt64LE(BigInt(value), at);
    u64(rootOffset, 8);
    u64(root.length, 16);
    u64(metadataOffset, 24);
    u64(metadata.length, 32);
    u64(leafOffset, 40);
    u64(leaves.length, 48);
    u64(dataOffset, 56);
    u64(dataLength, 64);
    u64(ids.length, 72);
    u64(entries.length, 80);
    u64(offsetsByHash.size, 88);
    head.writeUInt8(1, 96); // clustered: tiles are in tile-id order
    head.writeUInt8(GZIP, 97);
    head.writeUInt8(GZIP, 98);
    head.writeUInt8(MVT, 99);
    head.writeUInt8(header.minZoom, 100);
    head.writeUInt8(header.maxZoom, 101);
    const e7 = (degrees: number, at: number) => head.writeInt32LE(Math.round(degrees * 1e7), at);
    e7(header.bounds[0], 102);
    e7(header.bounds[1], 106);
    e7(header.bounds[2], 110);
    e7(header.bounds[3], 114);
    head.writeUInt8(header.centerZoom, 118);
    e7(header.center[0], 119);
    e7(header.center[1], 123);
    return Buffer.concat([head, root, metadata, leaves, ...chunks]);
  }
}

function buildDirectories(entries: Entry[]): { root: Buffer; leaves: Buffer } {
  const root = serializeDirectory(entries);
  if (root.length <= ROOT_BUDGET) return { root, leaves: Buffer.alloc(0) };
  for (let leafSize = 4096; ; leafSize *= 2) {
    const leafBuffers: Buffer[] = [];
    const rootEntries: Entry[] = [];
    let offset = 0;
    for (let i = 0; i < entries.length; i += leafSize) {
      const leaf = serializeDirectory(entries.slice(i, i + leafSize));
      // runLength 0 marks a pointer to a leaf directory rather than a tile.
      rootEntries.push({ tileId: entries[i]!.tileId, offset, length: leaf.length, runLength: 0 });
      leafBuffers.push(leaf);
      offset += leaf.length;
    }
    const twoLevelRoot = serializeDirectory(rootEntries);
    if (twoLevelRoot.length <= ROOT_BUDGET) return { root: twoLevelRoot, leaves: Buffer.concat(leafBuffers) };
  }
}

function serializeDirectory(entries: Entry[]): Buffer {
  const bytes: number[] = [];
  const varint = (value: number) => {
    let v = value;
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
  };
  varint(entries.length);
  let lastId = 0;
  for (const entry of entries) {
    varint(entry.tileId - lastId);
    lastId = entry.tileId;
  }
  for (const entry of entries) varint(entry.runLength);
  for (const entry of entries) varint(entry.length);
  entries.forEach((entry, i) => {
    const previous = entries[i - 1];
    // 0 means "straight after the previous entry's bytes", saving most offsets.
    varint(previous && entry.offset === previous.offset + previous.length ? 0 : entry.offset + 1);
  });
  return gzipSync(Buffer.from(bytes));
}
