/**
 * How a subscription to one thing's state starts without losing a change: fetch (authorizes the
 * subscriber and names the channel), listen, then fetch again. A change published between the
 * first fetch and the confirmed subscription is in the second answer; messages that arrive
 * before the second answer has been handed over wait and follow it, in order.
 */
export async function fetchListenFetch<S, M, C = string>(steps: {
  fetch(): Promise<S>;
  /**
   * The channel for this state (or what `listen` needs to pick it), or null when it is final and
   * nothing more will come.
   */
  channelOf(first: S): C | null;
  listen(channel: C, onMessage: (message: M) => void): Promise<() => void>;
  /** Receives the stop as soon as listening started, so closing the stream ends it. */
  onListening(stop: () => void): void;
  /** The state the stream starts from: the second answer, or the first when it is final. */
  begin(state: S): void;
  onMessage(message: M): void;
}): Promise<void> {
  const first = await steps.fetch();
  const channel = steps.channelOf(first);
  if (channel === null) return steps.begin(first);

  let held: M[] | null = [];
  const stop = await steps.listen(channel, (message) => {
    if (held) held.push(message);
    else steps.onMessage(message);
  });
  steps.onListening(stop);
  let second: S;
  try {
    second = await steps.fetch();
  } catch (error) {
    stop();
    throw error;
  }
  steps.begin(second);
  const waiting = held;
  held = null;
  for (const message of waiting) steps.onMessage(message);
}
