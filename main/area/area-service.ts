import { ApiError } from '../../shared/contract/errors';
import type { AreaManifest } from '../../shared/area/manifest';
import type { GazetteerResult } from '../../shared/gazetteer/entry';
import { loadGazetteer, type Gazetteer } from './gazetteer-service';
import { readAreaManifest } from './open-area';

/** The area a workstation shows: its manifest at once, its gazetteer as soon as it is indexed. */
export interface AreaService {
  readonly dir: string;
  readonly manifest: AreaManifest;
  /** Resolves when the gazetteer is ready (or has failed: searches then say why). */
  readonly ready: Promise<void>;
  search(query: string, limit: number): Promise<GazetteerResult[]>;
}

/**
 * Opens an area folder. The manifest is checked now (a bad area stops the start with a clear message); the
 * gazetteer is read and indexed in the background, so a large one does not hold up the console's first window.
 */
export function openArea(dir: string, onProblem: (message: string) => void = () => {}): AreaService {
  const manifest = readAreaManifest(dir);
  let gazetteer: Gazetteer | null = null;
  let failure: string | null = null;
  const ready = loadGazetteer(dir).then(
    (loaded) => {
      gazetteer = loaded.gazetteer;
      if (loaded.skipped) onProblem(`${loaded.skipped} gazetteer entries in ${dir} are malformed and were left out`);
    },
    (error: unknown) => {
      failure = (error as Error).message;
      onProblem(`the gazetteer of ${dir} could not be read: ${failure}`);
    },
  );
  return {
    dir,
    manifest,
    ready,
    async search(query, limit) {
      await ready;
      if (!gazetteer) throw new ApiError('unavailable', `location search is unavailable: ${failure ?? 'the gazetteer did not load'}`);
      return gazetteer.search(query, limit);
    },
  };
}
