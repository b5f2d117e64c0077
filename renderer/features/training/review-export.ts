import { TRAINING_MARK } from '../../../shared/training/training-mark';

/**
 * The after-action review as one HTML file that opens anywhere with no network: the review as the trainer's window
 * drew it (its tables, and its charts as the static SVG recharts drew), with its own small stylesheet inline, and
 * nothing it would have to fetch: no script, no stylesheet or image by address, no font from elsewhere.
 */

/** The file's own styles: a light page for print and projection, whatever the desk's theme. */
export const REVIEW_FILE_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; color: #0d1620; background: #ffffff; margin: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 0.3rem; } h2 { font-size: 1.15rem; margin: 1.2rem 0 0.4rem; } h3 { font-size: 1rem; }
table { border-collapse: collapse; margin: 0.4rem 0; }
th, td { border: 1px solid #c8d0d8; padding: 0.15rem 0.45rem; text-align: left; vertical-align: top; }
tr[data-met='false'] td.verdict, td[data-met='false'] { color: #a3161d; font-weight: 600; }
td[data-met='true'] { color: #177a3c; }
tr[data-kind='inject'] { background: #f1e8f7; }
figure { margin: 0.6rem 0; } figcaption { font-weight: 600; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
svg text { fill: #334; }
.review-mark { background: #7a2fa8; color: #fff; padding: 0.2rem 0.6rem; display: inline-block; border: 3px solid #7a2fa8; }
.review-watermark { display: none; }
@media print {
  .review-mark { background: none; color: #000; border-color: #000; font-weight: 700; }
  .review-watermark { display: block; position: fixed; top: 42%; left: 0; right: 0; margin: 0; text-align: center; font: 700 110pt/1 sans-serif; color: rgb(0 0 0 / 10%); transform: rotate(-35deg); pointer-events: none; }
}
`;

/** What marks an exported review as an exercise's, on screen and on every printed page. */
export const REVIEW_TRAINING_MARK = TRAINING_MARK;

/** Escapes text for HTML. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * The whole file: `bodyHtml` is the review's markup as drawn (serialised from the window); `title` and `made` (when
 * it was exported, in words) head it. Throws if the result would reach out to anything (see externalReferences).
 *
 * It leaves the trainer's screen (mailed, printed), so it says it is an exercise's in its title (a browser's tab and
 * a printed page's header), at its head and foot, and, printed, across every page: a printer drops backgrounds, so
 * the mark prints black on white, never white on nothing.
 */
export function reviewHtmlFile({ title, made, bodyHtml }: { title: string; made: string; bodyHtml: string }): string {
  const html = `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>TRAINING — ${escapeHtml(title)}</title>
<style>${REVIEW_FILE_CSS}</style>
</head>
<body>
<p class="review-watermark" aria-hidden="true">TRAINING</p>
<p class="review-mark">${REVIEW_TRAINING_MARK}</p>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(made)}</p>
${bodyHtml}
<p class="review-mark">${REVIEW_TRAINING_MARK}</p>
</body>
</html>
`;
  const outside = externalReferences(html);
  if (outside.length) throw new Error(`the review file would reach out to ${outside.join(', ')}: not exported`);
  return html;
}

/**
 * What in an HTML text would be fetched, run or followed elsewhere: any script at all, an attribute that names an
 * address (src, href, xlink:href, srcset, action, poster, data) other than a fragment of the page itself or inline
 * data, and a CSS url() or @import of an address. An SVG's `xmlns` names its vocabulary and fetches nothing.
 */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  if (/<script\b/i.test(html)) found.push('a script');
  for (const match of html.matchAll(/\s(src|href|xlink:href|srcset|action|poster|data|formaction)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    const value = (match[3] ?? match[4] ?? match[5] ?? '').trim();
    if (value.startsWith('#') || value.startsWith('data:')) continue;
    found.push(`${match[1]}="${value}"`);
  }
  for (const match of html.matchAll(/url\(\s*['"]?([^'")]*)['"]?\s*\)/gi)) {
    const value = match[1]!.trim();
    if (!value.startsWith('#') && !value.startsWith('data:')) found.push(`url(${value})`);
  }
  if (/@import\b/i.test(html)) found.push('a stylesheet @import');
  return found;
}
