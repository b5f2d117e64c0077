import { create } from 'zustand';
import type { ExerciseReview } from '../../../shared/training/review-view';
import type { DeskReplaySpeed } from '../../../shared/training/replay';

/**
 * The replay on the desk: the exercise played back on this window's own queue and map from its review, apart from
 * the console's store (which it never writes), so that leaving it puts the live desk back exactly as it was. Null
 * `review`: no replay, the desk is live.
 */
export interface DeskReplay {
  review: ExerciseReview | null;
  /** The replay's time (ms, exercise clock). */
  atMs: number;
  playing: boolean;
  speed: DeskReplaySpeed;
  /** A replay was left: the desk says it is live again. */
  left: boolean;
  /** Starts a replay of `review` from its start, paused, at `speed`. */
  start(review: ExerciseReview, speed?: DeskReplaySpeed): void;
  leave(): void;
  seek(atMs: number): void;
  setPlaying(playing: boolean): void;
  setSpeed(speed: DeskReplaySpeed): void;
}

export const useDeskReplay = create<DeskReplay>((set) => ({
  review: null,
  atMs: 0,
  playing: false,
  speed: 4,
  left: false,
  start: (review, speed) => set((s) => ({ review, atMs: Date.parse(review.from), playing: false, speed: speed ?? s.speed, left: false })),
  leave: () => set((s) => ({ review: null, playing: false, left: s.review !== null || s.left })),
  seek: (atMs) => set({ atMs }),
  setPlaying: (playing) => set({ playing }),
  setSpeed: (speed) => set({ speed }),
}));
