import { flushSync } from 'react-dom';

/**
 * What a text box holds once what it held when its form was submitted (`sent`) has been saved: whatever the operator
 * typed on after it while the save was on its way, or, if they changed the text itself meanwhile, all of it as they
 * left it. Never simply emptied: a loaded desk answers in a few hundred milliseconds, and an operator types on in that
 * time. Found in use in the log box, which then emptied on the reply: the first letters of a line typed straight after
 * the last were wiped ("pect gave a false name"). The log box and the command line now empty as they send, and put
 * the text back if it could not be saved (putBack); the forms that keep their text until the reply use this.
 *
 * Both strings as the box holds them (untrimmed); returns the box's new text, leading spaces dropped.
 */
export function typedSince(sent: string, now: string): string {
  return now.startsWith(sent) ? now.slice(sent.length).trimStart() : now;
}

/** For a state setter: `setText(keepTypedSince(sent))` empties the box of `sent` and only of it (typedSince). */
export const keepTypedSince =
  (sent: string) =>
  (now: string): string =>
    typedSince(sent, now);

/**
 * For a choice's state setter (a select: nothing typed on after it): `setChoice(keepChosenSince(sent))` resets the
 * choice once `sent` is saved, unless the operator chose another meanwhile, which stays.
 */
export const keepChosenSince =
  (sent: string) =>
  (now: string): string =>
    now === sent ? '' : now;

/**
 * Runs `update` (a form's boxes emptied of what was just saved: keepTypedSince, keepChosenSince) and puts the result
 * on screen before the next key is handled. Called where a save's reply comes back, between two keystrokes. React
 * would otherwise draw an update made there a moment later, in a task of its own; a key typed in that moment is read
 * from the box as the screen still shows it, the saved text in it, and that reading is laid over the emptying: the
 * saved text stays in the box and goes again in front of the next. Found in CI: "Security have CCTV of the
 * theftSuspect gave a false name" saved as one log line.
 */
export function clearSaved(update: () => void): void {
  flushSync(update);
}

/**
 * What a box that was emptied as its text went (`sent`) holds once that text could not be saved: the text back, in
 * front of anything typed since (a space between), so nothing typed is lost; the operator sees the reason beside it.
 * Given to the setter inside clearSaved, as a key may be typed in the same instant.
 */
export const putBack =
  (sent: string) =>
  (now: string): string =>
    now.trim() ? `${sent} ${now}` : sent;
