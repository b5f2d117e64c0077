/**
 * The Content Security Policy of every console window, in either host: only the app's own scripts, styles and
 * connections; no plugins, no frames, no forms posting anywhere. Map tiles, glyphs and sprites come from the same
 * origin (/area/). MapLibre's worker is its own file served beside the bundle (setWorkerUrl), so workers need
 * only 'self', not blob:; MapLibre still decodes images through data: and blob: URLs.
 */
export function contentSecurityPolicy(extraConnect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${extraConnect.join(' ')}`.trim(),
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
