import { basename } from 'node:path';
import type { ImportWarning } from '../build/write-area';

/** At most this many problems are listed per file; the rest are counted, so a broken file cannot flood the report. */
const LISTED_PER_FILE = 20;

/** Collects what was wrong with each input file, by file and line. */
export class Warnings {
  readonly list: ImportWarning[] = [];
  private readonly perFile = new Map<string, number>();

  add(file: string, line: number | null, message: string): void {
    const count = (this.perFile.get(file) ?? 0) + 1;
    this.perFile.set(file, count);
    if (count <= LISTED_PER_FILE) this.list.push({ file, line, message });
  }

  /** Adds "… and N more" lines for files whose problems were not all listed. */
  finish(): ImportWarning[] {
    for (const [file, count] of this.perFile) {
      if (count > LISTED_PER_FILE) this.list.push({ file, line: null, message: `and ${count - LISTED_PER_FILE} more problems like those above` });
    }
    return this.list;
  }

  forFile(file: string): (line: number | null, message: string) => void {
    return (line, message) => this.add(file, line, message);
  }
}

/** "roads.geojson line 12: …", as the import tool prints a warning. */
export function describeWarning(warning: ImportWarning): string {
  return `${basename(warning.file)}${warning.line ? ` line ${warning.line}` : ''}: ${warning.message}`;
}
