import { mayIssue } from '../../../shared/domain/operator';
import { useConsole } from '../../state/use-console';

/**
 * Whether the signed-in operator answers 999 calls from any window: they may answer calls, and hold one of the
 * force's `calls.announceTo` roles. Decides both the 999 banner with its Shift+F2 and whether the legend offers the key.
 */
export function useAnswers999(): boolean {
  const config = useConsole((s) => s.config);
  const operator = useConsole((s) => s.session?.operator ?? null);
  return Boolean(operator && config && mayIssue(operator, 'contact.answer') && operator.roles.some((r) => config.calls.announceTo.includes(r)));
}
