/**
 * Reads the features of a GeoJSON FeatureCollection one by one, so that a corrupt or truncated file still gives
 * every feature that is whole: each feature is cut out by bracket matching and parsed alone, and a bad one is
 * reported with its line and skipped. Anything that is not a FeatureCollection is parsed whole.
 */
export interface ScannedItem {
  value: unknown;
  line: number;
}

export interface ScanResult {
  /** The top-level object when the file parsed whole (a Topology, a lone Feature), else null. */
  document: unknown;
  features: ScannedItem[];
  problems: { line: number; message: string }[];
}

export function scanFeatureCollection(text: string): ScanResult {
  const start = findFeaturesArray(text);
  if (start === null) {
    try {
      return { document: JSON.parse(text) as unknown, features: [], problems: [] };
    } catch (error) {
      const position = /position (\d+)/.exec((error as Error).message);
      const line = position ? lineAt(text, Number(position[1])) : 1;
      return { document: null, features: [], problems: [{ line, message: `not valid JSON (${(error as Error).message.split('\n')[0]})` }] };
    }
  }
  const features: ScannedItem[] = [];
  const problems: { line: number; message: string }[] = [];
  let i = start.index;
  let line = start.line;
  for (;;) {
    // Skip to the next feature, or the end of the array.
    while (i < text.length && text[i] !== '{' && text[i] !== ']') {
      if (text[i] === '\n') line++;
      else if (!/[\s,]/.test(text[i]!)) {
        problems.push({ line, message: `unexpected "${text[i]}" between features` });
        while (i < text.length && text[i] !== '{' && text[i] !== ']' && text[i] !== '\n') i++;
        continue;
      }
      i++;
    }
    if (i >= text.length) {
      problems.push({ line, message: 'the file ends before its feature list does (it is cut short)' });
      break;
    }
    if (text[i] === ']') break;
    const featureLine = line;
    const end = matchingBrace(text, i);
    if (end === null) {
      problems.push({ line: featureLine, message: `the file ends inside the feature that starts here (it is cut short); ${features.length} features before it were read` });
      break;
    }
    const slice = text.slice(i, end + 1);
    try {
      features.push({ value: JSON.parse(slice) as unknown, line: featureLine });
    } catch (error) {
      problems.push({ line: featureLine, message: `this feature is not valid JSON (${(error as Error).message.split('\n')[0]}); skipped` });
    }
    for (let k = i; k <= end; k++) if (text.charCodeAt(k) === 10) line++;
    i = end + 1;
  }
  return { document: null, features, problems };
}

/** The position just after `"features": [` at the top level, with its line; null if there is none. */
function findFeaturesArray(text: string): { index: number; line: number } | null {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    else if (c === '"') {
      const end = endOfString(text, i);
      if (end === null) return null;
      if (depth === 1 && text.slice(i, end + 1) === '"features"') {
        let j = end + 1;
        while (j < text.length && /\s/.test(text[j]!)) if (text[j++] === '\n') line++;
        if (text[j] === ':') {
          j++;
          while (j < text.length && /\s/.test(text[j]!)) if (text[j++] === '\n') line++;
          if (text[j] === '[') return { index: j + 1, line };
        }
      }
      i = end;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return null;
}

function endOfString(text: string, openQuote: number): number | null {
  for (let i = openQuote + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i;
  }
  return null;
}

function matchingBrace(text: string, open: number): number | null {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const end = endOfString(text, i);
      if (end === null) return null;
      i = end;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return null;
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
