/**
 * Runs a batch step until it finds nothing more to do, at most `maxRounds` times, so a backlog is
 * worked off within one run of a job (each item once: the step takes only what is still due).
 * Returns how many items all rounds handled.
 */
export async function drainInBatches(
  step: () => Promise<number>,
  maxRounds: number,
): Promise<number> {
  let total = 0;
  for (let round = 0; round < maxRounds; round++) {
    const handled = await step();
    total += handled;
    if (handled === 0) break;
  }
  return total;
}
