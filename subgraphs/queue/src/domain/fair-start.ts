/**
 * The opening draw. Everyone who arrived before booking opened gets a queue number in a uniformly
 * random order, so arriving early (or hammering refresh) within the pre-queue buys nothing;
 * arrivals after opening are first come, first served behind them.
 */

/** `randomInt(n)`: a uniformly random integer in [0, n). Production passes node:crypto's randomInt. */
export type RandomInt = (maxExclusive: number) => number;

/** Fisher–Yates: every permutation equally likely, given an unbiased `randomInt`. Returns a copy. */
export function shuffle<T>(items: readonly T[], randomInt: RandomInt): T[] {
  const order = [...items];
  for (let i = order.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
