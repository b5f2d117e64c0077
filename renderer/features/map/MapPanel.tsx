import { useEffect, useSyncExternalStore } from 'react';
import { LocationSearch } from './LocationSearch';
import { MapView } from './MapView';
import { useMap } from './map-store';
import type { MapTheme } from './map-style';
import './map.css';

const DARK = '(prefers-color-scheme: dark)';
const subscribeToTheme = (onChange: () => void) => {
  const query = window.matchMedia(DARK);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
};
/** The map follows the console's theme, which follows the system's: day, or night shift. */
const currentTheme = (): MapTheme => (window.matchMedia(DARK).matches ? 'dark' : 'light');

/** The map of the workstation's area, with the location search above it. */
export function MapPanel() {
  const area = useMap((s) => s.area);
  const areaError = useMap((s) => s.areaError);
  const loadArea = useMap((s) => s.loadArea);
  const announcement = useMap((s) => s.announcement);
  const theme = useSyncExternalStore(subscribeToTheme, currentTheme);

  useEffect(() => {
    void loadArea();
  }, [loadArea]);

  return (
    <section className="map-panel" aria-labelledby="map-heading">
      <h2 id="map-heading">
        Map{area ? `: ${area.name}` : ''}
        {area?.fictional && <span className="badge">Fictional exercise area</span>}
      </h2>
      <LocationSearch />
      {areaError && <p role="alert">The map is unavailable: {areaError}</p>}
      {area && <MapView area={area} theme={theme} />}
      <div className="visually-hidden" role="status" aria-label="Map position">
        {announcement}
      </div>
    </section>
  );
}
