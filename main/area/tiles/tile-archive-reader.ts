import { open, type FileHandle } from 'node:fs/promises';
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';

/** A PMTiles archive on disk, read by byte ranges: only the directories and the tiles asked for are read. */
class FileRangeSource implements Source {
  private handle: Promise<FileHandle> | null = null;

  constructor(private readonly path: string) {}

  getKey(): string {
    return this.path;
  }

  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    this.handle ??= open(this.path, 'r');
    const handle = await this.handle;
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    // The reader asks for the first 16 KiB whatever the file's size; a short read is the file's end, not an error.
    return { data: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + bytesRead) };
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await (await handle)?.close();
  }
}

export interface TileArchiveReader {
  /** The tile's uncompressed MVT bytes, or null where the archive has none. */
  tile(z: number, x: number, y: number): Promise<Uint8Array | null>;
  metadata(): Promise<unknown>;
  close(): Promise<void>;
}

export function openTileArchive(path: string): TileArchiveReader {
  const source = new FileRangeSource(path);
  const archive = new PMTiles(source);
  return {
    async tile(z, x, y) {
      const found = await archive.getZxy(z, x, y);
      return found ? new Uint8Array(found.data) : null;
    },
    metadata: () => archive.getMetadata(),
    close: () => source.close(),
  };
}
