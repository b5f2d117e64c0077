import { bindingsFor, keyName, type WindowRole } from '../keyboard/keymap';
import { useAnswers999 } from '../features/calltaking/use-answers-999';

/**
 * The shortcuts, always on screen: those of the window, less Shift+F2 for an operator who does not answer 999 calls
 * (outside Call taking it does nothing for them, and a key offered that does nothing misleads).
 */
export function ShortcutLegend({ role }: { role: WindowRole }) {
  const answers999 = useAnswers999();
  return (
    <nav aria-label="Keyboard shortcuts" className="legend">
      <ul>
        {bindingsFor(role).filter((binding) => answers999 || binding.action !== 'answer999').map((binding) => (
          <li key={keyName(binding)}>
            <kbd>{keyName(binding)}</kbd> {binding.label}
          </li>
        ))}
      </ul>
    </nav>
  );
}
