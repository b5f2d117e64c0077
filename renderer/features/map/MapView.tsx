import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { AttributionControl, Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
import type { Feature } from 'geojson';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { padBBox } from '../../../shared/area/geo';
import type { AreaManifest } from '../../../shared/area/manifest';
import type { GazetteerResult } from '../../../shared/gazetteer/entry';
import { buildMapStyle, LABEL_LAYERS, SELECTION_SOURCE, type MapTheme } from './map-style';
import { useMap } from './map-store';
import { useConsole } from '../../state/use-console';
import { faultWords } from '../../app/report-fault';
import type { MapDrawing } from './map-drawing';
import { MapOverlays } from './map-overlays';
import { useOverlayData } from './use-overlay-data';

// MapLibre's worker is a file served beside the bundle, not a blob: the CSP allows workers from 'self' only.
setWorkerUrl(new URL(workerUrl, document.baseURI).href);

export const MAP_CANVAS_LABEL = 'Map';
const SUMMARY_ID = 'map-summary';

/**
 * How long a lost drawing surface (a graphics driver reset) may take to come back before the map gives way to its
 * list: the browser restores it in a moment when it can.
 */
const CONTEXT_RESTORE_MS = 5000;

/** Zoom to show a result at, when it is a point: a house-level view for a postcode, wider for a place. */
const POINT_ZOOM: Record<GazetteerResult['kind'], number> = {
  postcode: 17,
  landmark: 17,
  street: 16,
  'postcode-sector': 15,
  'postcode-district': 13,
  place: 14,
  ward: 14,
  beat: 14,
  district: 11,
  force: 9,
};

/**
 * The MapLibre map of the area: built from the area's manifest, in the theme the console is in, centred on what
 * the operator chose in the search. Below it, the centre in figures; for screen readers, the labelled streets
 * and places in view. `drawing` is light where WebGL is drawn by the processor (see map-drawing.ts); `onFailed` is told
 * when the map fails outside React's reach: its drawing surface lost for good (a graphics driver fault), its layers
 * refused.
 */
export function MapView({ area, theme, drawing, onFailed }: { area: AreaManifest; theme: MapTheme; drawing: MapDrawing; onFailed(problem: string): void }) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [view, setView] = useState<{ lng: number; lat: number; zoom: number } | null>(null);
  const [inView, setInView] = useState<string[]>([]);
  const [unitsInView, setUnitsInView] = useState<string[]>([]);
  const overlays = useRef<MapOverlays | null>(null);
  /** The map and its overlays once the map has loaded: what the overlay data is fed into. */
  const [loaded, setLoaded] = useState<{ map: MapLibreMap; overlays: MapOverlays } | null>(null);
  const selected = useMap((s) => s.selected);
  const selection = useMap((s) => s.selection);

  const styledWith = useRef<MapTheme | null>(null);
  const forceCode = useConsole((s) => s.config?.force.code);

  // Made when the area is known, with the theme of the moment; the theme changes the style in place (below).
  const createMap = useEffectEvent((element: HTMLDivElement) => {
    // The operator's own force's part of the area, where it holds more than one force's; else all it holds.
    const focus = area.forces?.find((f) => f.code === forceCode)?.focus ?? area.tiles.detail?.bounds ?? area.bounds;
    const map = new MapLibreMap({
      container: element,
      style: buildMapStyle(area, theme, window.location.origin),
      bounds: focus,
      fitBoundsOptions: { padding: 20 },
      maxBounds: padBBox(area.bounds),
      minZoom: area.zoom.min,
      maxZoom: area.zoom.max,
      attributionControl: false,
      maplibreLogo: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      renderWorldCopies: false,
      // Labels appear at once: an operator glancing at the map should not wait for a fade.
      fadeDuration: 0,
      // Drawn by the processor: one pixel per CSS pixel (a high-density screen would cost four times the work), and
      // no gliding on after a drag.
      ...(drawing === 'light' ? { pixelRatio: 1, reduceMotion: true } : {}),
      locale: { 'NavigationControl.ZoomIn': 'Zoom in', 'NavigationControl.ZoomOut': 'Zoom out' },
    });
    styledWith.current = theme;
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    map.addControl(new AttributionControl({ compact: false, customAttribution: area.attribution }), 'bottom-right');
    const canvas = map.getCanvas();
    canvas.setAttribute('aria-label', `${MAP_CANVAS_LABEL} of ${area.name}`);
    canvas.setAttribute('aria-describedby', SUMMARY_ID);
    const report = () => {
      const c = map.getCenter();
      setView({ lng: c.lng, lat: c.lat, zoom: map.getZoom() });
    };
    map.on('moveend', report);
    map.on('idle', () => {
      const layers = LABEL_LAYERS.filter((id) => map.getLayer(id));
      const names = new Set<string>();
      for (const feature of map.queryRenderedFeatures({ layers })) {
        const name = feature.properties?.name;
        if (typeof name === 'string' && name) names.add(name);
      }
      setInView([...names].sort());
      describeUnits();
    });
    // The units in view, with the status they are drawn in: what a screen reader (and a test) reads.
    // Also on a timer: while positions stream in the map is never idle, and the summary must not go stale.
    const describeUnits = () => {
      const bounds = map.getBounds();
      const units = overlays.current?.unitsWithin(bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()) ?? [];
      const described = [...new Set(units.map((u) => `${u.callSign} ${u.status.replace('_', ' ')}`))].sort();
      setUnitsInView((current) => (current.join() === described.join() ? current : described));
    };
    const unitsTimer = window.setInterval(describeUnits, 2000);
    map.on('remove', () => window.clearInterval(unitsTimer));
    map.on('load', () => {
      // MapLibre calls this from its own loop, out of React's reach: a failure here (the units' shaders refused by a
      // driver, say) is reported as the map's, and the panel lists instead.
      try {
        overlays.current = new MapOverlays(map, drawing);
      } catch (error) {
        onFailed(faultWords(error));
        return;
      }
      setLoaded({ map, overlays: overlays.current });
    });
    // A graphics driver reset takes the drawing surface away; the browser gives it back if it can. If it does not,
    // the map gives way to its list rather than stand frozen on an old picture.
    let lostTimer: number | undefined;
    map.on('webglcontextlost', () => {
      lostTimer = window.setTimeout(() => onFailed('the graphics driver lost the map’s drawing surface and did not give it back'), CONTEXT_RESTORE_MS);
    });
    map.on('webglcontextrestored', () => window.clearTimeout(lostTimer));
    map.on('remove', () => window.clearTimeout(lostTimer));
    report();
    return map;
  });

  useEffect(() => {
    if (!container.current) return;
    const map = createMap(container.current);
    mapRef.current = map;
    return () => {
      mapRef.current = null;
      overlays.current?.dispose();
      overlays.current = null;
      setLoaded(null);
      map.remove();
    };
  }, [area]);

  const restyle = useEffectEvent((map: MapLibreMap) => {
    if (styledWith.current === theme) return;
    styledWith.current = theme;
    map.setStyle(buildMapStyle(area, theme, window.location.origin));
    // The new style's selection source starts empty: draw the selection again once the style is in.
    const current = selected;
    map.once('idle', () => {
      if (current) drawSelection(map, current);
      overlays.current?.redraw();
    });
  });

  useEffect(() => {
    if (mapRef.current) restyle(mapRef.current);
  }, [theme]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !selected) return;
    drawSelection(map, selected);
    if (selected.lines || (selected.bbox && selected.kind !== 'postcode' && selected.kind !== 'landmark')) {
      const [w, s, e, n] = selected.bbox ?? [selected.center[0], selected.center[1], selected.center[0], selected.center[1]];
      // Centred on the result's own point (on the street itself), zoomed to show all of it.
      const camera = map.cameraForBounds([w, s, e, n], { padding: 48, maxZoom: POINT_ZOOM[selected.kind] + 1 });
      map.jumpTo({ center: selected.center, zoom: Math.min(camera?.zoom ?? POINT_ZOOM[selected.kind], 18) });
    } else {
      map.jumpTo({ center: selected.center, zoom: Math.max(map.getZoom(), POINT_ZOOM[selected.kind]) });
    }
  }, [selected, selection]);

  useOverlayData(loaded?.overlays ?? null, loaded?.map ?? null, drawing);

  return (
    <div className="map-frame">
      <div
        ref={container}
        className="map-canvas"
        data-center-lng={view?.lng.toFixed(6)}
        data-center-lat={view?.lat.toFixed(6)}
        data-zoom={view?.zoom.toFixed(2)}
      />
      <p className="map-readout">
        {/* In words, not as an aria-label: a paragraph has no role to carry one, and screen readers skip it. */}
        <span className="visually-hidden">Map centre: </span>
        {view ? `${formatLat(view.lat)}, ${formatLng(view.lng)} · zoom ${view.zoom.toFixed(1)}` : '…'}
      </p>
      {drawing === 'light' && (
        <p className="map-note">Graphics are drawn by the processor here: the map draws less often, so the keyboard stays quick.</p>
      )}
      <p id={SUMMARY_ID} className="visually-hidden">
        {inView.length ? `In view: ${inView.slice(0, 25).join(', ')}${inView.length > 25 ? ` and ${inView.length - 25} more` : ''}.` : 'Nothing labelled in view.'}
        {unitsInView.length ? ` Units: ${unitsInView.slice(0, 40).join(', ')}.` : ''}
      </p>
    </div>
  );
}

function drawSelection(map: MapLibreMap, result: GazetteerResult): void {
  const source = map.getSource<GeoJSONSource>(SELECTION_SOURCE);
  if (!source) return;
  const features: Feature[] = result.lines
    ? result.lines.map((coordinates) => ({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates } }))
    : [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: result.center } }];
  source.setData({ type: 'FeatureCollection', features });
}

function formatLat(lat: number): string {
  return `${Math.abs(lat).toFixed(5)}° ${lat >= 0 ? 'N' : 'S'}`;
}

function formatLng(lng: number): string {
  return `${Math.abs(lng).toFixed(5)}° ${lng >= 0 ? 'E' : 'W'}`;
}
