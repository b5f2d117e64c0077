import { useHotkeys } from '../../keyboard/use-hotkeys';
import { useSelectedIncident } from '../../state/use-selected-incident';
import { focusById } from '../../app/focus';
import { PanelBoundary } from '../../app/PanelBoundary';
import { ShortcutLegend } from '../../app/ShortcutLegend';
import { CommandLine } from '../command-line/CommandLine';
import { useIntents } from '../command-line/use-intents';
import { LOCATION_SEARCH_ID } from './LocationSearch';
import { MapPanel } from './MapPanel';
import { focusMap } from './focus-map';

/** The map window: the map alone, as large as its display, for the wall or a second screen. */
export function MapDesk() {
  const target = useSelectedIncident();
  const onIntent = useIntents(target, {});
  useHotkeys('map', {
    findLocation: () => focusById(LOCATION_SEARCH_ID, true),
    focusMap,
    home: focusMap,
  });
  return (
    <>
      <main className="workspace map-only">
        <PanelBoundary part="the map panel">
          <MapPanel />
        </PanelBoundary>
      </main>
      <PanelBoundary part="the command line">
        <CommandLine target={target} onIntent={onIntent} />
      </PanelBoundary>
      <ShortcutLegend role="map" />
    </>
  );
}
