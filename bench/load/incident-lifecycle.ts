import { randomUUID } from 'node:crypto';
import { unverifiedLocation } from '../../shared/domain/location';

/** A command's name and arguments, as a workstation puts them in an envelope. */
export interface LifecycleCommand {
  name: string;
  args: unknown;
}

/** Commands per incident in the benchmark's lifecycle (create, log lines, grading, a deployment, closing). */
export const COMMANDS_PER_INCIDENT = 10;

const TYPES = ['ASB', 'ALARM', 'ASSAULT', 'BURGLARY', 'CONCERN', 'SUSPICIOUS'];

/**
 * One incident's life at one dispatcher's workstation, command by command: created at grade 3 with a first log line,
 * a log line, upgraded to 2, the workstation's own unit deployed, en route, a log line, at scene, a log line,
 * cleared, closed. Each workstation works its incidents one after another with its own unit, and pushes in order,
 * so the versions each compare-and-set command names are known here without waiting to read them back: the
 * incident is at version 5 when it closes (grade, unit committed, attended, unit released), the unit two versions
 * on per incident (committed, released). A command the server refuses is counted by the benchmark, which then fails.
 */
export class IncidentLifecycle {
  private step = 0;
  private incidentId = '';
  private assignmentId = '';
  private incidents = 0;

  /**
   * `unitId`: the workstation's unit, booked on, at `unitVersion`. `reference(n)`: the provisional reference of the
   * workstation's n-th incident.
   */
  constructor(
    private readonly unitId: string,
    private unitVersion: number,
    private readonly reference: (n: number) => string,
  ) {}

  /** How many incidents this workstation has opened. */
  get opened(): number {
    return this.incidents;
  }

  /** The next command of the incident under way, starting a new incident after a close. */
  next(): LifecycleCommand {
    const step = this.step;
    this.step = (this.step + 1) % COMMANDS_PER_INCIDENT;
    const incidentId = step === 0 ? (this.incidentId = randomUUID()) : this.incidentId;
    const log = (text: string): LifecycleCommand => ({ name: 'incident.addLog', args: { incidentId, entryId: randomUUID(), text } });
    const status = (status: string, assignmentVersion: number): LifecycleCommand => ({
      name: 'assignment.setStatus',
      args: { assignmentId: this.assignmentId, unitId: this.unitId, incidentId, status, assignmentVersion },
    });
    switch (step) {
      case 0:
        this.incidents += 1;
        return {
          name: 'incident.create',
          args: {
            incidentId,
            provisionalReference: this.reference(this.incidents),
            type: TYPES[this.incidents % TYPES.length],
            location: unverifiedLocation(`${this.incidents} Station Road`),
            grade: '3',
            firstLog: { entryId: randomUUID(), text: 'Caller reports a disturbance outside, two people shouting' },
          },
        };
      case 1:
        return log('Caller says one of them has a bottle');
      case 2:
        return { name: 'incident.regrade', args: { incidentId, changeId: randomUUID(), grade: '2', reason: 'weapon mentioned' } };
      case 3: {
        this.assignmentId = randomUUID();
        const unitVersion = this.unitVersion;
        this.unitVersion += 2;
        return { name: 'unit.assign', args: { assignmentId: this.assignmentId, unitId: this.unitId, incidentId, unitVersion } };
      }
      case 4:
        return status('en_route', 1);
      case 5:
        return log('Second caller: the pair have moved towards the park');
      case 6:
        return status('at_scene', 2);
      case 7:
        return log('Words of advice given, both parties spoken to, no offences disclosed');
      case 8:
        return status('cleared', 3);
      default:
        return { name: 'incident.close', args: { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: 5, reservationIds: [] } };
    }
  }
}
