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

/** One tone of a sound: when it starts, in seconds from now, and its pitch in Hz. */
export interface Tone {
  at: number;
  frequency: number;
}

let context: AudioContext | null = null;

/**
 * Plays a sound of short tones made in the window (WebAudio): each tone one oscillator of the `wave` given, faded in
 * to `peak` gain (0–1) within 20 ms and out by `length` seconds. Nothing when the sound is switched off here, nor
 * where there is no audio device (what the sound is about shows on screen anyway).
 */
export function playTones(wave: OscillatorType, peak: number, length: number, tones: readonly Tone[]): void {
  if (!alertSoundOn()) return;
  try {
    context ??= new AudioContext();
    const start = context.currentTime;
    for (const tone of tones) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = wave;
      oscillator.frequency.value = tone.frequency;
      const at = start + tone.at;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(peak, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + length + 0.01);
    }
  } catch {
    // No audio device: the visual alert still shows.
  }
}

/** The new-emergency-call (and breach) alert: three pulses of two square tones, high then low. */
export function playEmergencyAlert(): void {
  playTones(
    'square',
    0.2,
    0.16,
    [0, 1, 2].flatMap((pulse) => [
      { at: pulse * 0.5, frequency: 960 },
      { at: pulse * 0.5 + 0.18, frequency: 720 },
    ]),
  );
}
