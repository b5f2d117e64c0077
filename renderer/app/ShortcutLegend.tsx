import { bindingsFor, keyName, type WindowRole } from '../keyboard/keymap';

/** The shortcuts, always on screen. */
export function ShortcutLegend({ role }: { role: WindowRole }) {
  return (
    <nav aria-label="Keyboard shortcuts" className="legend">
      <ul>
        {bindingsFor(role).map((binding) => (
          <li key={keyName(binding)}>
            <kbd>{keyName(binding)}</kbd> {binding.label}
          </li>
        ))}
      </ul>
    </nav>
  );
}
