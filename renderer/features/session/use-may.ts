import { mayIssue } from '../../../shared/domain/operator';
import { useConsole } from '../../state/use-console';

/** Whether the signed-in operator's roles allow a command: the console offers only what the server will accept. */
export function useMay(command: string): boolean {
  return useConsole((s) => mayIssue(s.session?.operator ?? undefined, command));
}
