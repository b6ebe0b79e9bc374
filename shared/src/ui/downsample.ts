/**
 * Fewer points for drawing: a browser draws 500 points as well as 3,600, and a page that is
 * updated every second should not carry thousands of coordinates each time.
 */

export interface Point {
  x: number;
  y: number;
}

/**
 * At most `max` points of a series sorted by x, keeping its shape: "Largest-Triangle-Three-Buckets"
 * (Steinarsson, 2013). The first and last points stay; the others are cut into `max - 2` buckets,
 * and from each bucket the point kept is the one that makes the largest triangle with the point
 * kept before it and the average of the next bucket. Peaks survive, where keeping every n-th
 * point would skip them.
 */
export function downsampleSeries<P extends Point>(points: readonly P[], max: number): P[] {
  const first = points[0];
  const last = points[points.length - 1];
  if (points.length <= max || max < 3 || !first || !last) return [...points];
  const kept: P[] = [first];
  const bucketSize = (points.length - 2) / (max - 2);
  let previous: Point = first;
  // Index loops, no slices: a live page runs this on thousands of points several times a second.
  for (let bucket = 0; bucket < max - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    const next =
      average(points, end, Math.min(Math.floor((bucket + 2) * bucketSize) + 1, points.length)) ?? last;
    let best = points[start] ?? last;
    let bestArea = -1;
    for (let i = start; i < end; i++) {
      const candidate = points[i] ?? last;
      const area = Math.abs(
        (previous.x - next.x) * (candidate.y - previous.y) -
          (previous.x - candidate.x) * (next.y - previous.y),
      );
      if (area > bestArea) {
        bestArea = area;
        best = candidate;
      }
    }
    kept.push(best);
    previous = best;
  }
  kept.push(last);
  return kept;
}

function average(points: readonly Point[], start: number, end: number): Point | undefined {
  if (end <= start) return undefined;
  let x = 0;
  let y = 0;
  for (let i = start; i < end; i++) {
    x += points[i]?.x ?? 0;
    y += points[i]?.y ?? 0;
  }
  return { x: x / (end - start), y: y / (end - start) };
}

/** At most `max` items, evenly spread, always with the first and the last (for a track on a map). */
export function thinEvenly<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max || max < 2) return [...items];
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => items[Math.round(i * step)]).filter(
    (item): item is T => item !== undefined,
  );
}
