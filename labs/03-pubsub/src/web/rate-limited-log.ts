/**
 * A log that prints at most one line per `intervalMs`: a publisher sending garbage many times a
 * second yields one line now and then, with the number of lines left out, instead of a flood.
 */
export function rateLimitedLog(
  log: (line: string) => void,
  intervalMs: number,
  now: () => number = Date.now,
): (line: string) => void {
  let lastAt = Number.NEGATIVE_INFINITY;
  let skipped = 0;
  return (line) => {
    const at = now();
    if (at - lastAt < intervalMs) {
      skipped++;
      return;
    }
    lastAt = at;
    log(skipped === 0 ? line : `${line} (and ${skipped} more like it)`);
    skipped = 0;
  };
}
