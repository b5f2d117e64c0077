/**
 * A UUID-shaped id derived from another id and a label, the same wherever it is computed: the log entries a
 * command writes get ids from the command's id, so the workstation's optimistic copy and the server's are one record.
 */
export function derivedId(sourceId: string, label: string): string {
  const input = `${sourceId}/${label}`;
  let hex = '';
  for (let seed = 0; hex.length < 32; seed++) hex += fnv1a(input, seed).toString(16).padStart(8, '0');
  // Shape it as a version-5-style UUID (name-based) so schemas that expect UUIDs accept it.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** FNV-1a, 32 bits, of `text` (its UTF-16 code units), from `seed`: a quick, stable hash, not a secure one. */
export function fnv1a(text: string, seed = 0): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
