import http from 'node:http';

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  requests: number;
  failures: number;
  seconds: number;
  perSecond: number;
  latencyMs: LatencySummary;
}

export function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  const round = (n: number) => Math.round(n * 100) / 100;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
  return { p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(at(100)), mean: round(mean) };
}

/**
 * A lean keep-alive JSON POST client: the load generator shares the box's two cores with the
 * system under test, so it must spend as little CPU per request as possible (node's fetch costs
 * noticeably more per request than a bare http.request).
 */
export function createPoster(url: string, connections: number) {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  return {
    post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
      return new Promise((resolve, reject) => {
        const request = http.request(
          {
            agent,
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

/**
 * Closed loop: `concurrency` workers each send their next request as soon as the previous one
 * answers, until `total` requests were sent or `seconds` passed. Returns throughput and latency.
 */
export async function closedLoop(options: {
  concurrency: number;
  total?: number;
  seconds?: number;
  /** Sends request number i; resolves true when the answer is the expected success. */
  send: (i: number) => Promise<boolean>;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const deadline = options.seconds ? performance.now() + options.seconds * 1000 : Number.POSITIVE_INFINITY;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if ((options.total !== undefined && i >= options.total) || performance.now() >= deadline) return;
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await options.send(i);
      } catch {
        ok = false;
      }
      latencies.push(performance.now() - t0);
      if (!ok) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    failures,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round(latencies.length / seconds),
    latencyMs: summarize(latencies),
  };
}
