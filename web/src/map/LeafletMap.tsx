import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRegion } from '../api/endpoints';
import classes from './map.module.css';
import type { Bounds, LatLon, MapPin } from './mapTypes';

/**
 * A Leaflet map: the tile layer of the region's config (`mapTiles`), pins that are buttons with
 * an accessible name (Tab reaches them, Enter selects), an optional picked point with a circle,
 * and picking a point by a click or a tap. The map is an enhancement: every page that shows one
 * lists the same things beside it, and it still works when no tile loads (`onTilesFailed`).
 */
export function LeafletMap({
  label,
  pins = [],
  selectedId = null,
  onSelect,
  fit = null,
  onViewChange,
  picked = null,
  radiusMeters = null,
  onPick,
  onTilesFailed,
  className,
}: {
  /** The map's accessible name (it is a region with this label). */
  label: string;
  pins?: MapPin[];
  selectedId?: string | null;
  onSelect?: (id: string) => void;
  /** Bounds to show; the map fits them whenever they change. */
  fit?: Bounds | null;
  /** The visible bounds after each move or zoom (and once at the start). */
  onViewChange?: (bounds: Bounds) => void;
  /** A point chosen on the map (a report's or a task's place), shown as a distinct pin. */
  picked?: LatLon | null;
  /** A circle around `picked` (a task's radius), in metres. */
  radiusMeters?: number | null;
  /** Called with the place of a click or tap on the map; without it the map picks nothing. */
  onPick?: (point: LatLon) => void;
  onTilesFailed?: () => void;
  className?: string;
}) {
  const { t } = useTranslation();
  const region = useRegion();
  const tiles = region.status === 'ready' ? region.data.mapTiles : null;
  const container = useRef<HTMLElement>(null);
  const [map, setMap] = useState<L.Map | null>(null);
  // The latest callbacks, read by Leaflet's handlers without re-binding them.
  const handlers = useRef({ onSelect, onViewChange, onPick, onTilesFailed });
  handlers.current = { onSelect, onViewChange, onPick, onTilesFailed };

  useEffect(() => {
    if (!container.current) return;
    const created = L.map(container.current, {
      center: [51.0, 4.5],
      zoom: 8,
      zoomControl: true,
      attributionControl: true,
      // No zoom animations: a map removed (the page left, a form closed) while one ran threw
      // "_leaflet_pos of undefined" from Leaflet's transition end; it also spares motion.
      zoomAnimation: false,
      markerZoomAnimation: false,
      fadeAnimation: false,
    });
    // Only the tiles' attribution (Leaflet's licence asks for none on the map).
    created.attributionControl.setPrefix(false);
    const report = () => {
      const b = created.getBounds();
      handlers.current.onViewChange?.({
        south: b.getSouth(),
        west: b.getWest(),
        north: b.getNorth(),
        east: b.getEast(),
      });
    };
    created.on('moveend', report);
    created.on('click', (event: L.LeafletMouseEvent) => {
      handlers.current.onPick?.({ lat: event.latlng.lat, lon: event.latlng.lng });
    });
    setMap(created);
    return () => {
      created.stop();
      created.off();
      created.remove();
      setMap(null);
    };
  }, []);

  // Leaflet's own controls speak the page's language.
  useEffect(() => {
    if (!map || !container.current) return;
    const zoomIn = container.current.querySelector('.leaflet-control-zoom-in');
    const zoomOut = container.current.querySelector('.leaflet-control-zoom-out');
    zoomIn?.setAttribute('aria-label', t('map.zoomIn'));
    zoomIn?.setAttribute('title', t('map.zoomIn'));
    zoomOut?.setAttribute('aria-label', t('map.zoomOut'));
    zoomOut?.setAttribute('title', t('map.zoomOut'));
  }, [map, t]);

  useEffect(() => {
    if (!map || !tiles) return;
    const layer = L.tileLayer(tiles.url, {
      attribution: escapeHtml(tiles.attribution),
      maxZoom: 19,
      // The page itself sends no referrer; tile servers (OpenStreetMap's) ask for one.
      referrerPolicy: 'strict-origin-when-cross-origin',
    });
    let failed = false;
    layer.on('tileerror', () => {
      if (failed) return;
      failed = true;
      handlers.current.onTilesFailed?.();
    });
    layer.addTo(map);
    return () => {
      layer.remove();
    };
  }, [map, tiles]);

  useEffect(() => {
    if (!map || !fit) return;
    const bounds = L.latLngBounds([fit.south, fit.west], [fit.north, fit.east]);
    if (!bounds.isValid()) return;
    map.fitBounds(bounds.pad(0.05), { maxZoom: 16, animate: false });
    // fitBounds to the same view fires no moveend: report the view anyway.
    map.fire('moveend');
  }, [map, fit]);

  // The pins, kept by id so that choosing one restyles it without rebuilding the others (and
  // the focus stays on the pin that was chosen with the keyboard).
  const markers = useRef(new Map<string, L.Marker>());
  useEffect(() => {
    if (!map) return;
    // On the map first: a marker's element exists once it is on the map.
    const layer = L.layerGroup().addTo(map);
    const built = new Map<string, L.Marker>();
    for (const pin of pins) {
      const marker = L.marker([pin.lat, pin.lon], {
        icon: L.divIcon({
          className: `${classes.pin} ${classes[pin.kind]}`,
          html: `<span aria-hidden="true">${pin.kind === 'task' ? '★' : '!'}</span>`,
          iconSize: [40, 40],
          iconAnchor: [20, 20],
        }),
        title: pin.label,
        keyboard: true,
        riseOnHover: true,
      });
      marker.on('click', () => handlers.current.onSelect?.(pin.id));
      marker.addTo(layer);
      const element = marker.getElement();
      if (element) {
        element.setAttribute('aria-label', pin.label);
        element.setAttribute('aria-pressed', 'false');
        element.dataset.pin = pin.id;
        // A pin is a button: Enter and Space choose it.
        element.addEventListener('keydown', (event) => {
          if (event.key !== 'Enter' && event.key !== ' ') return;
          event.preventDefault();
          handlers.current.onSelect?.(pin.id);
        });
      }
      built.set(pin.id, marker);
    }
    markers.current = built;
    return () => {
      layer.remove();
    };
  }, [map, pins]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: new pins are new markers to restyle.
  useEffect(() => {
    for (const [id, marker] of markers.current) {
      const selected = id === selectedId;
      marker.setZIndexOffset(selected ? 1000 : 0);
      const element = marker.getElement();
      element?.classList.toggle(classes.selected ?? 'selected', selected);
      element?.setAttribute('aria-pressed', String(selected));
    }
  }, [pins, selectedId]);

  useEffect(() => {
    if (!map || !selectedId) return;
    const pin = pins.find((p) => p.id === selectedId);
    if (pin && !map.getBounds().contains([pin.lat, pin.lon])) {
      map.panTo([pin.lat, pin.lon], { animate: false });
    }
  }, [map, pins, selectedId]);

  useEffect(() => {
    if (!map || !picked) return;
    const layer = L.layerGroup();
    if (radiusMeters && radiusMeters > 0) {
      L.circle([picked.lat, picked.lon], {
        radius: radiusMeters,
        color: '#0b6e69',
        weight: 2,
        fillOpacity: 0.1,
        interactive: false,
      }).addTo(layer);
    }
    const marker = L.marker([picked.lat, picked.lon], {
      icon: L.divIcon({
        className: `${classes.pin} ${classes.picked}`,
        html: '<span aria-hidden="true">●</span>',
        iconSize: [40, 40],
        iconAnchor: [20, 20],
      }),
      keyboard: false,
      interactive: false,
    });
    marker.addTo(layer);
    layer.addTo(map);
    if (!map.getBounds().contains([picked.lat, picked.lon])) {
      map.panTo([picked.lat, picked.lon], { animate: false });
    }
    return () => {
      layer.remove();
    };
  }, [map, picked, radiusMeters]);

  return (
    <section
      ref={container}
      className={`${classes.map} ${onPick ? classes.picking : ''} ${className ?? ''}`}
      aria-label={label}
      data-testid="leaflet-map"
    />
  );
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
