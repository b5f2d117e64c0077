import { playTones } from '../calltaking/alert-sound';

/**
 * The deployment alarm: a deployment its crew has not accepted, or a rejection to decide. Three rising steps,
 * repeated twice, made in the window (WebAudio): unlike the two-tone 999 and breach alert, so a dispatcher knows
 * which it is without looking. It follows the workstation's sound setting.
 */
export function playDeploymentAlarm(): void {
  playTones(
    'triangle',
    0.25,
    0.18,
    [0, 1].flatMap((round) => [523, 659, 784].map((frequency, step) => ({ at: round * 0.9 + step * 0.2, frequency }))),
  );
}
