import { alertSoundOn } from '../calltaking/alert-sound';

let context: AudioContext | null = null;

/**
 * The deployment alarm: a deployment its crew has not accepted, or a rejection to decide. Three rising steps,
 * repeated twice, made in the window (WebAudio): unlike the two-tone 999 and breach alert, so a dispatcher knows
 * which it is without looking. It follows the workstation's sound setting.
 */
export function playDeploymentAlarm(): void {
  if (!alertSoundOn()) return;
  try {
    context ??= new AudioContext();
    const start = context.currentTime;
    for (let round = 0; round < 2; round++) {
      for (const [step, frequency] of [523, 659, 784].entries()) {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.type = 'triangle';
        oscillator.frequency.value = frequency;
        const at = start + round * 0.9 + step * 0.2;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.18);
        oscillator.connect(gain).connect(context.destination);
        oscillator.start(at);
        oscillator.stop(at + 0.19);
      }
    }
  } catch {
    // No audio device: the banner still shows.
  }
}
