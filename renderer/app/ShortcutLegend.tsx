import { keyName, keymap } from '../keyboard/keymap';

/** The shortcuts, always on screen. */
export function ShortcutLegend() {
  return (
    <nav aria-label="Keyboard shortcuts" className="legend">
      <ul>
        {keymap.map((binding) => (
          <li key={keyName(binding)}>
            <kbd>{keyName(binding)}</kbd> {binding.label}
          </li>
        ))}
      </ul>
    </nav>
  );
}
