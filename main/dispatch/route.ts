import { distanceMetres, type GeoPoint } from '../../shared/domain/location';

/** A way from one point to another, with how far and how long (at the speeds of its roads) to each point. */
export interface Route {
  points: GeoPoint[];
  /** Metres from the start to each point. */
  metres: number[];
  /** Seconds from the start to each point. */
  seconds: number[];
  /** The speed on the leg from each point to the next, km/h: one fewer than the points. */
  legKmh: number[];
  lengthM: number;
  durationS: number;
  /** The roads did not join the ends (or there are none): a straight line at a slow speed, so the unit still gets there. */
  straightLine: boolean;
}

/** A route through points, each leg at its speed; legs of no length are dropped. */
export function routeThrough(points: readonly GeoPoint[], legKmh: readonly number[], straightLine: boolean): Route {
  const route: Route = { points: [], metres: [], seconds: [], legKmh: [], lengthM: 0, durationS: 0, straightLine };
  points.forEach((point, i) => {
    if (i === 0) {
      route.points.push(point);
      route.metres.push(0);
      route.seconds.push(0);
      return;
    }
    const metres = distanceMetres(route.points[route.points.length - 1]!, point);
    if (metres < 0.01) {
      route.points[route.points.length - 1] = point; // the same place: keep the later, so a route ends where asked
      return;
    }
    const kmh = legKmh[i - 1]!;
    route.lengthM += metres;
    route.durationS += metres / (kmh / 3.6);
    route.points.push(point);
    route.metres.push(route.lengthM);
    route.seconds.push(route.durationS);
    route.legKmh.push(kmh);
  });
  return route;
}

export interface RoutePosition {
  point: GeoPoint;
  speedKmh: number;
  /** Degrees clockwise from north; null at the end. */
  headingDeg: number | null;
  /** The end of the route is reached. */
  done: boolean;
}

/** Where a vehicle is after driving a route for some seconds. */
export function positionOnRoute(route: Route, elapsedS: number): RoutePosition {
  const last = route.points.length - 1;
  if (elapsedS >= route.durationS || last === 0) return { point: route.points[last]!, speedKmh: 0, headingDeg: null, done: true };
  // The leg being driven: the last point whose time has passed (a binary search: routes across a county are long).
  let low = 0;
  let high = last;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (route.seconds[mid]! <= elapsedS) low = mid;
    else high = mid;
  }
  const a = route.points[low]!;
  const b = route.points[low + 1]!;
  const f = (elapsedS - route.seconds[low]!) / (route.seconds[low + 1]! - route.seconds[low]!);
  return { point: { lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f }, speedKmh: route.legKmh[low]!, headingDeg: bearing(a, b), done: false };
}

/** Degrees clockwise from north from a to b (flat, which is exact enough over one leg). */
export function bearing(a: GeoPoint, b: GeoPoint): number {
  const east = (b.lon - a.lon) * Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180);
  const north = b.lat - a.lat;
  const deg = (Math.atan2(east, north) * 180) / Math.PI;
  return Math.round(((deg + 360) % 360) * 10) / 10;
}
