import type { KeyboardEvent } from 'react';
import { thriveCategoryNames, thriveQuestionsFor } from '../../../shared/domain/thrive';
import { useConsole } from '../../state/use-console';

export type Answer = 'yes' | 'no' | 'unknown';
const choices: [Answer, string][] = [
  ['yes', 'Yes'],
  ['no', 'No'],
  ['unknown', 'Not known'],
];

/**
 * The force's THRIVE questions for the incident type. Each is a group of three choices: arrow keys move within it,
 * or Y, N or U answers and moves on to the next question.
 */
export function ThriveQuestions({
  type,
  answers,
  onAnswer,
  afterLastId = 'call-narrative',
}: {
  type: string;
  answers: Record<string, Answer>;
  onAnswer(questionId: string, answer: Answer): void;
  /** Where the keyboard goes once the last question is answered. */
  afterLastId?: string;
}) {
  const config = useConsole((s) => s.config);
  if (!config || !type) return null;
  const questions = thriveQuestionsFor(config, type);

  const onKeyDown = (event: KeyboardEvent, index: number, questionId: string) => {
    const answer = ({ y: 'yes', n: 'no', u: 'unknown' } as const)[event.key.toLowerCase() as 'y' | 'n' | 'u'];
    if (!answer) return;
    event.preventDefault();
    onAnswer(questionId, answer);
    const next = document.querySelector<HTMLInputElement>(`[data-thrive-question="${index + 1}"] input`);
    (next ?? document.getElementById(afterLastId))?.focus();
  };

  return (
    <fieldset className="thrive">
      <legend>Risk (THRIVE): Y yes, N no, U not known</legend>
      {questions.map((question, index) => (
        <div key={question.id} role="radiogroup" aria-label={question.text} data-thrive-question={index} onKeyDown={(e) => onKeyDown(e, index, question.id)}>
          <span className="question">
            <span className="category">{thriveCategoryNames[question.category]}</span> {question.text}
          </span>
          {choices.map(([value, label]) => (
            <label key={value}>
              <input type="radio" name={`thrive-${question.id}`} value={value} checked={answers[question.id] === value} onChange={() => onAnswer(question.id, value)} /> {label}
            </label>
          ))}
        </div>
      ))}
    </fieldset>
  );
}
