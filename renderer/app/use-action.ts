import { useEffect, useEffectEvent, useRef, useState } from 'react';

/** Runs one action at a time and keeps its error to show beside the control that started it. */
export function useAction(): { busy: boolean; error: string | null; run(action: () => Promise<unknown>): Promise<boolean> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    async run(action) {
      if (busy) return false;
      setBusy(true);
      try {
        await action();
        setError(null);
        return true;
      } catch (e) {
        setError((e as Error).message);
        return false;
      } finally {
        setBusy(false);
      }
    },
  };
}

/**
 * Actions run one after another, none dropped: for controls each press of which means something of its own (a
 * trainer's start, pause, speed, next inject), where an action still in flight (a round trip to the training server)
 * must not swallow the next press as useAction's guard against a double submission would. Rejections are kept as
 * `error`; a later success clears it.
 */
export function useActionsInTurn(): { error: string | null; run(action: () => Promise<unknown>): Promise<boolean> } {
  const [error, setError] = useState<string | null>(null);
  const turn = useRef(inTurn());
  return {
    error,
    run: (action) =>
      turn.current(action).then(
        () => (setError(null), true),
        (e: unknown) => (setError((e as Error).message), false),
      ),
  };
}

/**
 * A queue of async actions: each given to the returned function starts once every one given before it has settled
 * (succeeded or failed), and its promise settles as it does.
 */
export function inTurn(): <T>(action: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (action) => {
    const next = last.then(action, action);
    last = next.catch(() => undefined);
    return next;
  };
}

/**
 * A box whose Enter saves what it holds (a log line, a command), one save at a time, in turn. Enter pressed while the
 * last save is on its way is kept, not dropped: once that save is done and the box holds only what was typed since
 * (clearSaved), the box is saved again, as it then stands. Sent at once instead, the box would still hold the last
 * text in front of the next, and both would go again as one (a command line typed ahead sent "Manager wants him
 * chargedLOG Officer" as a log line); dropped, the operator's Enter did nothing and said nothing.
 *
 * Not inTurn: an action queued at Enter would read the box as it stood then, both texts in it; `save` here is the one
 * of the render after the last save.
 *
 * `save` saves the box as the component's state now holds it, and resolves to whether it was saved: after a failure
 * (the text left in the box, the reason shown), an Enter kept meanwhile is let go, as the box then holds both texts.
 * `scope` names what the box is for (the incident whose log it writes): an Enter kept for one is let go if the box
 * is showing another's by the time the save is done. Returns `submit`, for Enter.
 */
export function useBoxSavedInTurn(save: () => Promise<boolean>, scope = ''): { submit: () => void } {
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
