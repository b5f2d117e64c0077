import { inflateRawSync } from 'node:zlib';
import { LiveMessage, MAX_LIVE_MESSAGE_BYTES } from '../../shared/sync/protocol';

/**
 * One frame of the live channel as the workstation reads it: a text frame's JSON, or a binary frame's, compressed
 * with raw DEFLATE (the `deflate` encoding the workstation asks for: shared/sync/protocol.ts LIVE_ENCODINGS). Returns
 * the message, or null for a frame that is not one (bad JSON, bad compression, a shape the protocol does not have,
 * more than MAX_LIVE_MESSAGE_BYTES once opened): such a frame is dropped, and the batch it held is pulled, since
 * the next batch begins past it and shows the gap.
 */
export function readLiveFrame(data: Buffer, isBinary: boolean, maxBytes: number = MAX_LIVE_MESSAGE_BYTES): LiveMessage | null {
  let text: string;
  try {
    // Opened no further than the limit: a small frame that would open to gigabytes stops there (a "zip bomb").
    text = (isBinary ? inflateRawSync(data, { maxOutputLength: maxBytes }) : data).toString('utf8');
  } catch {
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = LiveMessage.safeParse(json);
  return parsed.success ? parsed.data : null;
}
