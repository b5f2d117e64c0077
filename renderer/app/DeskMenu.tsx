import { useEffect, useState } from 'react';
import { windowsFor, type WindowRole } from '../../shared/domain/desk-layout';
import { useApi } from '../state/use-api';
import { useConsole } from '../state/use-console';
import { openRoleWindow, reportWhereThisWindowIs, windowTitles } from './desk';


/**
 * The desk's windows: open another role in its own window (drag it to another display), and save the desk as it
 * stands, to come back at this operator's next sign-in here. While signed in, this window tells the core where it is.
 */
export function DeskMenu({ role }: { role: WindowRole }) {
  const api = useApi();
  const announce = useConsole((s) => s.announce);
  const operator = useConsole((s) => s.session?.operator);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => reportWhereThisWindowIs(api, role), [api, role]);

  const save = async () => {
    try {
      const { layout } = await api.call('desk.save', {});
      const message = `Desk saved: ${layout.windows.map((w) => windowTitles[w.role]).join(', ')}`;
      setSaved(message);
      announce(message);
    } catch (error) {
      setSaved((error as Error).message);
    }
  };

  return (
    <span className="desk-menu" role="group" aria-label="Desk windows">
      {windowsFor(operator?.roles ?? [])
        .filter((r) => r !== role)
        .map((r) => (
          <button key={r} type="button" aria-label={`Open ${windowTitles[r]} window`} onClick={() => openRoleWindow(r)}>
            Open {windowTitles[r]}
          </button>
        ))}
      <button type="button" aria-label="Save desk layout" onClick={() => void save()} title={saved ?? undefined}>
        Save desk
      </button>
    </span>
  );
}
