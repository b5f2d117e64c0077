import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createCordonApi } from './api/cordon-api';
import { electronTransport } from './api/electron-transport';
import { websocketTransport } from './api/websocket-transport';
import { takeLaunchKey } from './api/launch-key';
import type { Transport } from './api/transport';
import { App } from './app/App';
import { PanelBoundary } from './app/PanelBoundary';
import { createConsoleStore } from './state/console-store';
import { ConsoleStoreContext } from './state/use-console';
import { ApiContext } from './state/use-api';
import { createMapStore, MapStoreContext } from './features/map/map-store';
import { createPositionsStore } from './state/positions-store';
import { PositionsContext } from './state/use-positions';
import './styles.css';

function chooseTransport(): Transport | null {
  if (window.cordon) return electronTransport(window.cordon);
  const key = takeLaunchKey();
  return key ? websocketTransport(key, window.location.href) : null;
}

const root = createRoot(document.getElementById('root')!);
const transport = chooseTransport();
if (!transport) {
  root.render(
    <p role="alert" className="no-key">
      This window has no launch key. Open the address the console printed when it started.
    </p>,
  );
} else {
  const api = createCordonApi(transport);
  const store = createConsoleStore(api);
  const mapStore = createMapStore(api);
  const positions = createPositionsStore(api);
  root.render(
    <StrictMode>
      <ApiContext.Provider value={api}>
        <ConsoleStoreContext.Provider value={store}>
          <MapStoreContext.Provider value={mapStore}>
            <PositionsContext.Provider value={positions}>
              {/* The last resort: a window whose own frame fails says so, rather than going blank (see App for the panels). */}
              <PanelBoundary part="this window" rest="Everything done so far is kept by the console core: try again, or reload the window.">
                <App />
              </PanelBoundary>
            </PositionsContext.Provider>
          </MapStoreContext.Provider>
        </ConsoleStoreContext.Provider>
      </ApiContext.Provider>
    </StrictMode>,
  );
}
