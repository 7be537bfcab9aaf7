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

/**
 * The same start when the channel is known before any read (named by the subscription's own
 * argument): listen, then fetch once. A change published after listening began is either in the
 * answer or in a message held for after it; one published before was committed before the read.
 * The read still authorizes: when it fails, listening stops and the error is the subscriber's,
 * and nothing heard meanwhile is handed on. A final state stops listening at once. One read where
 * fetch-listen-fetch takes two (issue 10: the second read was a third of opening a subscription).
 */
export async function listenFetch<S, M, C = string>(steps: {
  channel: C;
  fetch(): Promise<S>;
  /** True when nothing more will come for this state. */
  isFinal(state: S): boolean;
  listen(channel: C, onMessage: (message: M) => void): Promise<() => void>;
  onListening(stop: () => void): void;
  begin(state: S): void;
  onMessage(message: M): void;
}): Promise<void> {
  let held: M[] | null = [];
  const stop = await steps.listen(steps.channel, (message) => {
    if (held) held.push(message);
    else steps.onMessage(message);
  });
  steps.onListening(stop);
  let state: S;
  try {
    state = await steps.fetch();
  } catch (error) {
    stop();
    throw error;
  }
  if (steps.isFinal(state)) {
    stop();
    return steps.begin(state);
  }
  steps.begin(state);
  const waiting = held;
  held = null;
  for (const message of waiting) steps.onMessage(message);
}
