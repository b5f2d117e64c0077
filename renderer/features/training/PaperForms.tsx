import { ContactSource, contactSourceNames } from '../../../shared/domain/contact';
import type { ForceConfig } from '../../../shared/domain/force-config';
import { TRAINING_MARK } from '../../../shared/training/training-mark';

const LOG_LINES = 14;
const UNIT_LINES = 4;

/** What an exercise's printed form says, at its head and foot and across every page. */
export const PAPER_TRAINING_MARK = TRAINING_MARK;

/**
 * The control room's paper incident and log form, for when the system is down: what the desk records, in the order a
 * call taker takes it (when, who, where, what, THRIVE, grade), then the units sent and a timed log. Every time has its
 * own box, so the records can be entered afterwards with their original times. Printed from the desk (a print
 * stylesheet shows only this); on screen it stays hidden.
 *
 * `training`: printed during an exercise. Paper leaves the room's screens and may lie on a desk beside the live forms,
 * so an exercise's says so in its title, at its head and foot, and across every printed page: never taken for a live
 * record, nor entered into the live system.
 */
export function PaperForms({ config, training }: { config: ForceConfig; training: boolean }) {
  return (
    <section className="paper-forms" aria-label={training ? 'Paper incident and log form (training exercise)' : 'Paper incident and log form'} data-training={training}>
      {training && (
        <>
          {/* Repeated on every printed page (fixed in print), behind the boxes: the mark cannot be cut off a page. */}
          <p className="paper-watermark" aria-hidden="true">
            TRAINING
          </p>
          <p className="paper-training-mark">{PAPER_TRAINING_MARK}: an exercise form, never a live record. Enter it only in the exercise.</p>
        </>
      )}
      <h2>
        {training && 'TRAINING: '}
        {config.force.name}: incident and log form (system down)
      </h2>
      <p>Write every time as hh:mm, when it happened. Enter this form in the system, with those times, when it is back.</p>
      <dl className="paper-fields">
        <dt>Date</dt>
        <dd />
        <dt>Time call received</dt>
        <dd />
        <dt>Call taker</dt>
        <dd />
        <dt>Source</dt>
        <dd>{ContactSource.options.map((source) => `☐ ${contactSourceNames[source]}`).join('   ')}</dd>
        <dt>Caller name and number</dt>
        <dd />
        <dt>Location</dt>
        <dd />
        <dt>What is happening</dt>
        <dd className="tall" />
        <dt>Incident type</dt>
        <dd />
        <dt>Grade</dt>
        <dd>{config.grades.map((grade) => `☐ ${grade.code} ${grade.name}`).join('   ')}</dd>
      </dl>
      <table className="paper-thrive">
        <caption>THRIVE</caption>
        <thead>
          <tr>
            <th scope="col">Question</th>
            <th scope="col">Yes / No / Not known</th>
          </tr>
        </thead>
        <tbody>
          {config.thrive.map((question) => (
            <tr key={question.id}>
              <td>{question.text}</td>
              <td>☐ Y ☐ N ☐ ?</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="paper-units">
        <caption>Units sent</caption>
        <thead>
          <tr>
            <th scope="col">Call sign</th>
            <th scope="col">Sent (hh:mm)</th>
            <th scope="col">At scene (hh:mm)</th>
            <th scope="col">Cleared (hh:mm)</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: UNIT_LINES }, (_, i) => (
            <tr key={i}>
              <td />
              <td />
              <td />
              <td />
            </tr>
          ))}
        </tbody>
      </table>
      <table className="paper-log">
        <caption>Log</caption>
        <thead>
          <tr>
            <th scope="col">Time (hh:mm)</th>
            <th scope="col">Entry</th>
            <th scope="col">Initials</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: LOG_LINES }, (_, i) => (
            <tr key={i}>
              <td />
              <td />
              <td />
            </tr>
          ))}
        </tbody>
      </table>
      <p>Closed at (hh:mm) ________ closing code ________ entered in the system by ________ at ________</p>
      {training && <p className="paper-training-mark">{PAPER_TRAINING_MARK}</p>}
    </section>
  );
}
