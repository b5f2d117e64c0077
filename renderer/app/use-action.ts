import { useRef, useState } from 'react';

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
