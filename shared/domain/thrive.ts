import { z } from 'zod';
import type { ForceConfig } from './force-config';
import { Name } from './ids';
import { plainText } from './text';
import { Instant } from './time';

/** Threat, Harm, Risk, Investigation, Vulnerability, Engagement: the six parts of a risk assessment. */
export const ThriveCategory = z.enum(['threat', 'harm', 'risk', 'investigation', 'vulnerability', 'engagement']);
export type ThriveCategory = z.infer<typeof ThriveCategory>;

export const thriveCategoryNames: Record<ThriveCategory, string> = {
  threat: 'Threat',
  harm: 'Harm',
  risk: 'Risk',
  investigation: 'Investigation',
  vulnerability: 'Vulnerability',
  engagement: 'Engagement',
};

/** A scripted question, from the force's configuration: asked for every incident type, or for those listed. */
export const ThriveQuestionConfig = z.object({
  id: z.string().min(1).max(40),
  category: ThriveCategory,
  text: z.string().min(1).max(300),
  /** Incident type codes; absent for every type. */
  types: z.array(z.string()).optional(),
});
export type ThriveQuestionConfig = z.infer<typeof ThriveQuestionConfig>;

export const ThriveAnswer = z.object({
  questionId: z.string().min(1).max(40),
  answer: z.enum(['yes', 'no', 'unknown']),
  note: plainText({ max: 500 }).default(''),
});
export type ThriveAnswer = z.infer<typeof ThriveAnswer>;

export const ThriveAssessment = z.object({
  answers: z.array(ThriveAnswer),
  assessedAt: Instant,
  assessedBy: Name,
  /** A fact that bears on risk changed since (type, location, description, grade), or the incident waited too long. */
  stale: z.boolean(),
  staleBecause: z.string().nullable(),
});
export type ThriveAssessment = z.infer<typeof ThriveAssessment>;

/** The questions to ask for an incident type, in the configuration's order. */
export function thriveQuestionsFor(config: ForceConfig, type: string): ThriveQuestionConfig[] {
  return config.thrive.filter((q) => !q.types || q.types.includes(type));
}

/** Which of the questions for this type have no answer yet. */
export function unansweredQuestions(config: ForceConfig, type: string, answers: readonly ThriveAnswer[]): ThriveQuestionConfig[] {
  const answered = new Set(answers.map((a) => a.questionId));
  return thriveQuestionsFor(config, type).filter((q) => !answered.has(q.id));
}

/** The assessment as a log line: every question and answer, so the log shows what was asked and said. */
export function describeAssessment(config: ForceConfig, answers: readonly ThriveAnswer[]): string {
  const lines = answers.map((a) => {
    const question = config.thrive.find((q) => q.id === a.questionId);
    const label = question ? `${thriveCategoryNames[question.category]}: ${question.text}` : a.questionId;
    return `${label} ${a.answer.toUpperCase()}${a.note ? ` (${a.note})` : ''}`;
  });
  return `THRIVE assessment\n${lines.join('\n')}`;
}

/** Facts whose change calls for the risk to be assessed again. */
export const RISK_FACTS = ['type', 'location', 'description', 'grade'] as const;

export function markStale(assessment: ThriveAssessment | null, because: string): ThriveAssessment | null {
  return assessment ? { ...assessment, stale: true, staleBecause: because } : null;
}
