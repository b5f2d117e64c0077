import { lazy, Suspense, useEffect, useState, useSyncExternalStore } from 'react';
import { PanelBoundary } from '../../app/PanelBoundary';
import { LocationSearch } from './LocationSearch';
import { MapFallback } from './MapFallback';
import { useMap } from './map-store';
import { useDeskReplay } from '../training/desk-replay-store';
import type { MapTheme } from './map-style';
import { webGLSupport } from './webgl-support';
import './map.css';

/**
 * MapLibre and the map's own code load only when a map is drawn, and apart from the console's: a browser without
 * WebGL never runs them, and a map library that fails to load or to start fails in this panel, not the window. A
 * new one for each try: React keeps a failed load's error for good.
 */
const loadMapView = () => lazy(() => import('./MapView').then((module) => ({ default: module.MapView })));

const DARK = '(prefers-color-scheme: dark)';
const subscribeToTheme = (onChange: () => void) => {
  const query = window.matchMedia(DARK);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
};
/** The map follows the console's theme, which follows the system's: day, or night shift. */
const currentTheme = (): MapTheme => (window.matchMedia(DARK).matches ? 'dark' : 'light');

/**
 * The map of the workstation's area, with the location search above it. Where the map cannot be drawn (no WebGL,
 * or the map failed), the incidents and units it would show are listed instead, and the search says where a place
 * is rather than centring a map on it; the console's log is told once.
 */
export function MapPanel() {
  const area = useMap((s) => s.area);
  const areaError = useMap((s) => s.areaError);
  const loadArea = useMap((s) => s.loadArea);
  const announcement = useMap((s) => s.announcement);
  const unavailable = useMap((s) => s.unavailable);
  const mapUnavailable = useMap((s) => s.mapUnavailable);
  const retryMap = useMap((s) => s.retryMap);
  const theme = useSyncExternalStore(subscribeToTheme, currentTheme);
  const replaying = useDeskReplay((s) => s.review !== null);
  // Asked again when the operator tries the map again: a driver that failed may have recovered.
  const [support, setSupport] = useState(() => webGLSupport());
  const [MapView, setMapView] = useState(loadMapView);

  useEffect(() => {
    void loadArea();
  }, [loadArea]);

  useEffect(() => {
    if (support.kind === 'none') mapUnavailable(support.problem);
  }, [support, mapUnavailable]);

  const retry = () => {
    const again = webGLSupport(true);
    setSupport(again);
    if (again.kind === 'none') return;
    setMapView(loadMapView);
    retryMap();
  };

  return (
    <section className="map-panel" aria-labelledby="map-heading">
      <h2 id="map-heading">
        Map{area ? `: ${area.name}` : ''}
        {area?.fictional && <span className="badge">Fictional exercise area</span>}
      </h2>
      <LocationSearch />
      {areaError && <p role="alert">The map is unavailable: {areaError}</p>}
      {unavailable ? (
        // The lists in the map's place are the live desk's: never beside a replay's queue.
        replaying ? (
          <p className="map-unavailable" role="alert">
            The map cannot be drawn in this window ({unavailable}): the replay shows on the queue only.
          </p>
        ) : (
          <MapFallback problem={unavailable} onRetry={retry} />
        )
      ) : (
        area &&
        support.kind !== 'none' && (
          <PanelBoundary part="the map" onFault={mapUnavailable}>
            <Suspense fallback={<p className="loading">Loading the map…</p>}>
              <MapView area={area} theme={theme} drawing={support.kind === 'software' ? 'light' : 'full'} onFailed={mapUnavailable} />
            </Suspense>
          </PanelBoundary>
        )
      )}
      <div className="visually-hidden" role="status" aria-label="Map position">
        {announcement}
      </div>
    </section>
  );
}
