import { bindingsFor, keyName, type HotkeyAction, type WindowRole } from '../keyboard/keymap';
import { useAnswers999 } from '../features/calltaking/use-answers-999';
import { useMayAudit } from '../features/audit/AuditDialog';

/**
 * The shortcuts, always on screen: those of the window, less Shift+F2 for an operator who does not answer 999 calls
 * (outside Call taking it does nothing for them, and a key offered that does nothing misleads), and Shift+F6 for one
 * who may not look at the audit log, and those the window says do nothing now (`hide`: Shift+F7 at the incidents
 * desk when the selected incident is another force's, which only that force shares).
 */
export function ShortcutLegend({ role, hide = [] }: { role: WindowRole; hide?: readonly HotkeyAction[] }) {
  const answers999 = useAnswers999();
  const audits = useMayAudit();
  return (
    <nav aria-label="Keyboard shortcuts" className="legend">
      <ul>
        {bindingsFor(role).filter((binding) => (answers999 || binding.action !== 'answer999') && (audits || binding.action !== 'audit') && !hide.includes(binding.action)).map((binding) => (
          <li key={keyName(binding)}>
            <kbd>{keyName(binding)}</kbd> {binding.label}
          </li>
        ))}
      </ul>
    </nav>
  );
}
