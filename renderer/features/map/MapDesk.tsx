import { useHotkeys } from '../../keyboard/use-hotkeys';
import { focusById } from '../../app/focus';
import { ShortcutLegend } from '../../app/ShortcutLegend';
import { CommandLine } from '../command-line/CommandLine';
import { useIntents } from '../command-line/use-intents';
import { LOCATION_SEARCH_ID } from './LocationSearch';
import { MapPanel } from './MapPanel';

/** The map window: the map alone, as large as its display, for the wall or a second screen. */
export function MapDesk() {
  const onIntent = useIntents(null, {});
  useHotkeys('map', {
    findLocation: () => focusById(LOCATION_SEARCH_ID, true),
    focusMap: () => document.querySelector<HTMLElement>('.map-panel canvas')?.focus(),
    home: () => document.querySelector<HTMLElement>('.map-panel canvas')?.focus(),
  });
  return (
    <>
      <main className="workspace map-only">
        <MapPanel />
      </main>
      <CommandLine target={null} onIntent={onIntent} />
      <ShortcutLegend role="map" />
    </>
  );
}
