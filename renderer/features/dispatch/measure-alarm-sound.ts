import { playTones } from '../calltaking/alert-sound';

/**
 * A room measure crossing into red: two low falling tones, once, made in the window (WebAudio). Lower and slower than
 * the 999 alert and the deployment alarm, so a supervisor hears that a figure, not a call or a crew, needs looking
 * at. It follows the workstation's sound setting.
 */
export function playMeasureAlarm(): void {
  playTones('sine', 0.25, 0.45, [
    { at: 0, frequency: 440 },
    { at: 0.5, frequency: 330 },
  ]);
}
