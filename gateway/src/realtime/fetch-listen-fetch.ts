interface StartSteps<S, M, C> {
  fetch(): Promise<S>;
  listen(channel: C, onMessage: (message: M) => void): Promise<() => void>;
  /** Receives the stop as soon as listening started, so closing the stream ends it. */
  onListening(stop: () => void): void;
  /** The state the stream starts from. */
  begin(state: S): void;
  onMessage(message: M): void;
}

/**
 * How a subscription starts when the channel is known before any read (named by the
 * subscription's own argument): listen, then fetch once. A change published after listening
 * began is either in the answer or in a message held for after it; one published before was
 * committed before the read. The read still authorizes: when it fails, listening stops and the
 * error is the subscriber's, and nothing heard meanwhile is handed on. A final state stops
 * listening at once. One read where fetch-listen-fetch takes two (issue 10: the second read was
 * a third of opening a subscription).
 */
export async function listenFetch<S, M, C = string>(
  steps: StartSteps<S, M, C> & {
    channel: C;
    /** True when nothing more will come for this state. */
    isFinal(state: S): boolean;
  },
): Promise<void> {
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

/**
 * How a subscription to one thing's state starts when only a first read names the channel (it
 * authorizes the subscriber too): fetch, then listen and fetch again (listenFetch). A change
 * published between the first fetch and the confirmed subscription is in the second answer;
 * messages that arrive before the second answer has been handed over wait and follow it, in order.
 */
export async function fetchListenFetch<S, M, C = string>(
  steps: StartSteps<S, M, C> & {
    /**
     * The channel for this state (or what `listen` needs to pick it), or null when it is final and
     * nothing more will come.
     */
    channelOf(state: S): C | null;
  },
): Promise<void> {
  const first = await steps.fetch();
  const channel = steps.channelOf(first);
  if (channel === null) return steps.begin(first);
  return listenFetch({ ...steps, channel, isFinal: (state) => steps.channelOf(state) === null });
}
