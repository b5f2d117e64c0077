import { keymap } from '../keyboard/keymap';

/** The shortcuts, always on screen. */
export function ShortcutLegend() {
  return (
    <nav aria-label="Keyboard shortcuts" className="legend">
      <ul>
        {keymap.map((binding) => (
          <li key={binding.key}>
            <kbd>{binding.key === 'Escape' ? 'Esc' : binding.key}</kbd> {binding.label}
          </li>
        ))}
      </ul>
    </nav>
  );
}
