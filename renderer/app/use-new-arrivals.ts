import { useEffect, useEffectEvent, useRef } from 'react';

/**
 * Calls `onNew` with the ids that appear in `ids` after the window's records have loaded (`ready`): what arrives
 * while it is open, never what was already there when it opened. The list of ids seen starts only once `ready`:
 * started on the empty list a window has before its records come, it would take everything already there (999
 * calls ringing, incidents already breached) for new, and sound a false alarm.
 */
export function useNewArrivals(ids: readonly string[], ready: boolean, onNew: (fresh: string[]) => void): void {
  const seen = useRef<Set<string> | null>(null);
  const notify = useEffectEvent(onNew);
  useEffect(() => {
    if (!ready) {
      seen.current = null;
      return;
    }
    if (seen.current === null) {
      seen.current = new Set(ids);
      return;
    }
    const fresh = ids.filter((id) => !seen.current!.has(id));
    // Only the ids still here are kept: each arrives once, so one that went is never new again.
    seen.current = new Set(ids);
    if (fresh.length) notify(fresh);
  }, [ids, ready]);
}
