/**
 * The new-emergency-call alert: a two-tone pulse made in the window (WebAudio), not the browser's default noise,
 * loud enough to hear across a room and distinct from anything else the console says. Switched on or off per
 * workstation.
 */
const SETTING = 'cordon.alertSound';

/**
 * The setting for this window when the browser keeps nothing for the console (site data blocked by policy, as some
 * locked-down profiles have it: reading localStorage then throws): the choice holds until the window closes.
 */
let unkept: boolean | null = null;

/** Whether the alert sounds: on unless switched off here (on, too, where the setting cannot be read). */
export function alertSoundOn(): boolean {
  if (unkept !== null) return unkept;
  try {
    return localStorage.getItem(SETTING) !== 'off';
  } catch {
    return true;
  }
}

/** Switches the alert on or off; false when the browser would not keep the choice beyond this window. */
export function setAlertSound(on: boolean): boolean {
  try {
    localStorage.setItem(SETTING, on ? 'on' : 'off');
    unkept = null;
    return true;
  } catch {
    unkept = on;
    return false;
  }
}

let context: AudioContext | null = null;

export function playEmergencyAlert(): void {
  if (!alertSoundOn()) return;
  try {
    context ??= new AudioContext();
    const start = context.currentTime;
    for (let pulse = 0; pulse < 3; pulse++) {
      for (const [offset, frequency] of [
        [0, 960],
        [0.18, 720],
      ] as const) {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.type = 'square';
        oscillator.frequency.value = frequency;
        const at = start + pulse * 0.5 + offset;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.16);
        oscillator.connect(gain).connect(context.destination);
        oscillator.start(at);
        oscillator.stop(at + 0.17);
      }
    }
  } catch {
    // No audio device: the visual alert still shows.
  }
}
