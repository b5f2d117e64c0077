import { useEffect, useEffectEvent, useRef, useState } from 'react';

/**
 * A box whose Enter saves what it holds (a log line, a command), one save at a time, in turn. Enter pressed while the
 * last save is on its way is kept, not dropped: once that save is done and the box holds only what was typed since
 * (clearSaved), the box is saved again, as it then stands. Sent at once instead, the box would still hold the last
 * text in front of the next, and both would go again as one (a command line typed ahead sent "Manager wants him
 * chargedLOG Officer" as a log line); dropped, the operator's Enter did nothing and said nothing.
 *
 * `save` saves the box as the component's state now holds it, and resolves to whether it was saved: after a failure
 * (the text left in the box, the reason shown), an Enter kept meanwhile is let go, as the box then holds both texts.
 * `scope` names what the box is for (the incident whose log it writes): an Enter kept for one is let go if the box
 * is showing another's by the time the save is done. Returns `submit`, for Enter.
 */
export function useInTurn(save: () => Promise<boolean>, scope = ''): { submit: () => void } {
  const [busy, setBusy] = useState(false);
  // Refs, not state, decide: two Enters in one turn of the event loop must not both start a save.
  const running = useRef(false);
  // The scope an Enter was kept for, or null.
  const again = useRef<string | null>(null);
  const submit = () => {
    if (running.current) {
      again.current = scope;
      return;
    }
    running.current = true;
    setBusy(true);
    void save().then(
      (saved) => finish(saved),
      () => finish(false),
    );
  };
  const finish = (saved: boolean) => {
    running.current = false;
    if (!saved) again.current = null;
    setBusy(false);
  };
  // Run from the render after the save, so `save` sees the box as it then stands.
  const resume = useEffectEvent(() => {
    const kept = again.current;
    again.current = null;
    if (kept === scope) submit();
  });
  useEffect(() => {
    if (!busy) resume();
  }, [busy]);
  return { submit };
}
