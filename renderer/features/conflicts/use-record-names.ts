import { useMemo } from 'react';
import { useConsole } from '../../state/use-console';
import type { Lookup } from './describe-command';

/**
 * What a desk names records by in the words of a conflict or a refused command (describe-command.ts): its incidents
 * and units, and its loans and offers, whose summaries name another force's incident it does not hold.
 */
export function useRecordNames(): Lookup {
  const incidents = useConsole((s) => s.incidents);
  const units = useConsole((s) => s.units);
  const loans = useConsole((s) => s.loans);
  const transfers = useConsole((s) => s.transfers);
  return useMemo(() => ({ incidents, units, loans, transfers }), [incidents, units, loans, transfers]);
}
