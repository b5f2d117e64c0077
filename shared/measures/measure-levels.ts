import type { MeasureThresholds, Threshold } from './measures-config';
import type { RoomMeasures } from './room-measures';

/** How a figure stands against its thresholds: `none` where it has no threshold or no value (no calls yet). */
export type MeasureLevel = 'none' | 'ok' | 'amber' | 'red';

/** Each figure's level, by a stable id: `answered999Within10s`, `abandoned999`, `queueDepth:1`, `callToDeployment:1`, `attendanceMet:1`, `handoffsWaiting`. */
export type MeasureLevels = Record<string, MeasureLevel>;

/** The level of a figure where less is worse: red below `red`, amber below `amber`. */
export function levelWhereLessIsWorse(value: number | null, threshold: Threshold | undefined): MeasureLevel {
  if (value === null || !threshold) return 'none';
  return value < threshold.red ? 'red' : value < threshold.amber ? 'amber' : 'ok';
}

/** The level of a figure where more is worse: red above `red`, amber above `amber`. */
export function levelWhereMoreIsWorse(value: number | null, threshold: Threshold | undefined): MeasureLevel {
  if (value === null || !threshold) return 'none';
  return value > threshold.red ? 'red' : value > threshold.amber ? 'amber' : 'ok';
}

/** Every figure's level against the force's thresholds (shared/measures/measures-config.ts). */
export function measureLevels(measures: RoomMeasures, thresholds: MeasureThresholds): MeasureLevels {
  const levels: MeasureLevels = {
    answered999Within10s: levelWhereLessIsWorse(measures.calls.within10sPercent999, thresholds.answered999Within10s),
    abandoned999: levelWhereMoreIsWorse(measures.calls.abandonedPercent999, thresholds.abandoned999),
  };
  for (const [grade, waiting] of Object.entries(measures.queue.now)) levels[`queueDepth:${grade}`] = levelWhereMoreIsWorse(waiting, thresholds.queueDepth[grade]);
  for (const [grade, times] of Object.entries(measures.callToDeployment.byGrade)) {
    levels[`callToDeployment:${grade}`] = levelWhereMoreIsWorse(times.p90Seconds === null ? null : times.p90Seconds / 60, thresholds.callToDeploymentP90Minutes[grade]);
  }
  // The force's untaken times are the thresholds: amber once one is past its time, red once one is escalated.
  const { pastTime, escalated } = measures.handoffsWaiting;
  levels.handoffsWaiting = escalated > 0 ? 'red' : pastTime > 0 ? 'amber' : 'ok';
  for (const row of measures.attendance) levels[`attendanceMet:${row.grade}`] = levelWhereLessIsWorse(row.metPercent, thresholds.attendanceMet[row.grade]);
  return levels;
}
