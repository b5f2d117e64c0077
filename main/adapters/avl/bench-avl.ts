import { localMetres } from '../../../shared/area/geo';
import { homeOf, type ForceConfig } from '../../../shared/domain/force-config';
import type { GeoPoint } from '../../../shared/domain/location';
import { instantOf, type Clock } from '../../../shared/domain/time';
import type { Scheduler } from '../../../node-common/scheduler';
import type { AvlAdapter, UnitFix } from './avl-adapter';

/** A real feed's vehicles report at their own moments, not in lockstep: each second is read in this many batches. */
const BATCHES_PER_SECOND = 10;
const SPEED_KMH = 30;

interface Circle {
  unitId: string;
  centre: GeoPoint;
  radiusM: number;
  /** Radians: where on its circle the unit starts. */
  phase: number;
}

/**
 * AVL for benchmarks only (`--bench-avl`): every unit of the force reports once a second, driving its own circle
 * around its home station (300 m to 3 km out), so every fix moves every unit. Deterministic and cheap, so that
 * what a benchmark measures is the console receiving and drawing the fixes, not the feed making them. Destinations
 * are ignored: units deployed here keep circling.
 */
export class BenchAvl implements AvlAdapter {
  private timer: unknown = null;
  private readonly circles: Circle[];

  constructor(
    config: ForceConfig,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
  ) {
    this.circles = config.units.flatMap((unit, i) => {
      const centre = homeOf(config, unit);
      return centre ? [{ unitId: unit.callSign, centre, radiusM: 300 + ((i * 137) % 2700), phase: (i * 2.399) % (2 * Math.PI) }] : [];
    });
  }

  /** How many fixes a second this feed sends: one per unit with a known home station. */
  get fixesPerSecond(): number {
    return this.circles.length;
  }

  start(listener: (fixes: UnitFix[]) => void): void {
    this.stop();
    const sliceMs = 1000 / BATCHES_PER_SECOND;
    const startedAt = this.clock.now();
    let batch = 0;
    // Each batch is timed from the start, not from the previous one, so the rate does not drift below 1 Hz.
    const next = () => {
      const slice = batch % BATCHES_PER_SECOND;
      listener(this.circles.filter((_, i) => i % BATCHES_PER_SECOND === slice).map((c) => this.fixOf(c)));
      batch += 1;
      this.timer = this.scheduler.setTimeout(next, Math.max(0, startedAt + batch * sliceMs - this.clock.now()));
    };
    this.timer = this.scheduler.setTimeout(next, sliceMs);
  }

  stop(): void {
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  private fixOf(circle: Circle): UnitFix {
    const now = this.clock.now();
    const angularSpeed = SPEED_KMH / 3.6 / circle.radiusM; // radians a second
    const angle = circle.phase + (now / 1000) * angularSpeed;
    const north = circle.radiusM * Math.cos(angle);
    const east = circle.radiusM * Math.sin(angle);
    const flat = localMetres(circle.centre.lat);
    const [x, y] = flat.toXY([circle.centre.lon, circle.centre.lat]);
    const [lon, lat] = flat.toLngLat(x + east, y + north);
    // The angle is the bearing from the station and grows clockwise: the heading is a quarter turn on from it.
    const headingDeg = (((angle * 180) / Math.PI + 90) % 360 + 360) % 360;
    return { unitId: circle.unitId, point: { lat, lon }, at: instantOf(this.clock), speedKmh: SPEED_KMH, headingDeg };
  }
}
