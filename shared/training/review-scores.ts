import type { CallVerdict, Score } from './review-view';
import { quantile } from '../measures/room-measures';

/**
 * The scores of a set of judged calls (one trainee's, or the room's): for each thing the scenario expected, how
 * many of the calls it could be judged on met it. What one call is judged on is in exercise-review.ts (judgeCall);
 * this only counts. A score judged on no call says so ("none to judge"), never 0 of 0 as if it had failed.
 */

/** The parts of a call a call handler answers for (the one who answered it). */
export const CALL_TAKING_SCORES = ['answer', 'save', 'type', 'grade', 'thrive', 'risk', 'duplicates'] as const;
/** The parts a dispatcher answers for (the one who deployed the incident's first unit). */
export const DISPATCH_SCORES = ['deploy', 'attendance', 'units'] as const;
export const ALL_SCORES = [...CALL_TAKING_SCORES, ...DISPATCH_SCORES] as const;
export type ScoreId = (typeof ALL_SCORES)[number];

const LABELS: Record<ScoreId, string> = {
  answer: 'Answer time',
  save: 'Time to save',
  deploy: 'Time to first deployment',
  type: 'Incident type',
  grade: 'Grading agreement',
  thrive: 'THRIVE questions answered',
  risk: 'Risk flags found',
  duplicates: 'Duplicates spotted',
  attendance: 'Attendance targets met',
  units: 'Unit types sent',
};

const TARGETS: Record<ScoreId, string> = {
  answer: '999 within 10 s, others within 60 s',
  save: 'saved within 3 minutes of answering',
  deploy: "the force's call-to-deployment time for the grade",
  type: "the scenario's incident type",
  grade: "one of the scenario's acceptable grades",
  thrive: "every THRIVE question for the incident's type",
  risk: "every risk flag the scenario expects",
  duplicates: 'attached to the incident it repeats',
  attendance: "a unit at scene within the grade's target",
  units: "every unit type the scenario expects",
};

/** Counts how many judged calls met each of `ids` (see CallVerdict for what each part means). */
export function scoreCalls(calls: readonly CallVerdict[], ids: readonly ScoreId[] = ALL_SCORES): Score[] {
  return ids.map((id) => {
    const judged = calls.map((call) => [call, metOf(call, id)] as const).filter(([, met]) => met !== null);
    const met = judged.filter(([, ok]) => ok).length;
    return { id, label: LABELS[id], of: judged.length, met, figure: figureOf(id, calls, judged.length, met), target: TARGETS[id] };
  });
}

/** Whether one call met the expectation a score judges; null when it cannot be judged on it. */
export function metOf(call: CallVerdict, id: ScoreId): boolean | null {
  switch (id) {
    case 'answer':
      return call.answerInTime;
    case 'save':
      return call.savedInTime;
    case 'deploy':
      return call.deployedInTime;
    case 'type':
      return call.typeAgreed;
    case 'grade':
      return call.gradeAgreed;
    case 'thrive':
      return call.thrive && call.thrive.asked > 0 ? call.thrive.answered >= call.thrive.asked : null;
    case 'risk': {
      const expected = call.riskFlags.found.length + call.riskFlags.missed.length;
      // Judged once the call made an incident to hold the flags.
      return expected === 0 || call.incident === null ? null : call.riskFlags.missed.length === 0;
    }
    case 'duplicates':
      return call.duplicateSpotted;
    case 'attendance':
      return call.attendanceMet;
    case 'units':
      return call.incident === null || call.firstDeployedAt === null ? null : call.unitTypes.missing.length === 0;
  }
}

function figureOf(id: ScoreId, calls: readonly CallVerdict[], of: number, met: number): string {
  if (of === 0) return 'none to judge';
  const seconds = (pick: (call: CallVerdict) => number | null) => {
    const values = calls.map(pick).filter((s): s is number => s !== null).sort((a, b) => a - b);
    return values.length === 0 ? `${met} of ${of} in time` : `${met} of ${of} in time; median ${quantile(values, 0.5)} s, longest ${values.at(-1)} s`;
  };
  switch (id) {
    case 'answer':
      return seconds((call) => call.answerSeconds);
    case 'save':
      return seconds((call) => call.saveSeconds);
    case 'deploy':
      return seconds((call) => call.deploySeconds);
    case 'thrive': {
      const asked = calls.reduce((sum, call) => sum + (call.thrive?.asked ?? 0), 0);
      const answered = calls.reduce((sum, call) => sum + Math.min(call.thrive?.answered ?? 0, call.thrive?.asked ?? 0), 0);
      return `${met} of ${of} incidents complete; ${answered} of ${asked} questions`;
    }
    case 'risk': {
      const missed = [...new Set(calls.flatMap((call) => call.riskFlags.missed))];
      return `${met} of ${of} incidents${missed.length ? `; missed ${missed.join(', ')}` : ''}`;
    }
    case 'units': {
      const missing = calls.flatMap((call) => call.unitTypes.missing);
      return `${met} of ${of} incidents${missing.length ? `; missing ${missing.join(', ')}` : ''}`;
    }
    default:
      return `${met} of ${of}`;
  }
}
