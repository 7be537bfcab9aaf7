import {
  bucketsLimiter,
  escalatingLimiter,
  limitSetting,
  strictest,
  type Admission,
  type Redis,
  type Viewer,
} from '@ticketing/platform';
import type { z } from 'zod';
import { trustProxySetting } from './rate-limits-client-ip';
import { socketSlots } from './rate-limits-sockets';

/**
 * The gateway's front-door limits (env). Defaults protect a real deployment; tests and benchmarks
 * raise them in packages/test-support (every fan there comes from 127.0.0.1).
 */
export const rateLimitSettings = {
  TRUST_PROXY: trustProxySetting,
  /** Per signed-in user: steady operations per ops window, plus a burst pool per burst window. */
  RATE_LIMIT_USER_OPS: limitSetting(20),
  RATE_LIMIT_USER_BURST: limitSetting(30),
  /** Per client address; higher, because a venue's fans share one NAT address. */
  RATE_LIMIT_IP_OPS: limitSetting(300),
  RATE_LIMIT_IP_BURST: limitSetting(1000),
  RATE_LIMIT_OPS_WINDOW_SECONDS: limitSetting(1),
  RATE_LIMIT_BURST_WINDOW_SECONDS: limitSetting(10),
  /** `logIn` / `signUp` root fields (aliases count) per address per credentials window; past it the address is locked out. */
  RATE_LIMIT_LOGIN_PER_IP: limitSetting(100),
  RATE_LIMIT_SIGNUP_PER_IP: limitSetting(30),
  RATE_LIMIT_CREDENTIALS_WINDOW_SECONDS: limitSetting(600),
  /** First lock-out of an address; it doubles with each further one within a day, up to the max. */
  RATE_LIMIT_IP_LOCKOUT_SECONDS: limitSetting(60),
  RATE_LIMIT_IP_LOCKOUT_MAX_SECONDS: limitSetting(3600),
  /** Concurrent WebSockets, counted across every gateway instance in Redis. */
  MAX_SOCKETS_PER_USER: limitSetting(10),
  MAX_SOCKETS_PER_IP: limitSetting(1000),
  MAX_SUBSCRIPTIONS_PER_SOCKET: limitSetting(20),
};

type Settings = z.infer<z.ZodObject<typeof rateLimitSettings>>;

/** Who is calling, as far as limits care. */
export interface Caller {
  viewer: Viewer | null;
  ip: string;
}

export function createGatewayLimits(redis: Redis, settings: Settings) {
  const bucket = (scope: string, rate: number, burst: number) => ({
    name: `ops:${scope}`,
    rate,
    burst,
    windowSeconds: settings.RATE_LIMIT_OPS_WINDOW_SECONDS,
    burstWindowSeconds: settings.RATE_LIMIT_BURST_WINDOW_SECONDS,
  });
  // The address's bucket and the user's, checked in one Redis call.
  const ops = bucketsLimiter(redis, [bucket('ip', settings.RATE_LIMIT_IP_OPS, settings.RATE_LIMIT_IP_BURST), bucket('user', settings.RATE_LIMIT_USER_OPS, settings.RATE_LIMIT_USER_BURST)]);
  const credentials = (field: string, points: number) =>
    escalatingLimiter(redis, {
      name: `${field}:ip`,
      points,
      windowSeconds: settings.RATE_LIMIT_CREDENTIALS_WINDOW_SECONDS,
      blockSeconds: settings.RATE_LIMIT_IP_LOCKOUT_SECONDS,
      maxBlockSeconds: settings.RATE_LIMIT_IP_LOCKOUT_MAX_SECONDS,
    });
  const perIp = { logIn: credentials('logIn', settings.RATE_LIMIT_LOGIN_PER_IP), signUp: credentials('signUp', settings.RATE_LIMIT_SIGNUP_PER_IP) };

  return {
    /** One operation (an HTTP request or a WebSocket subscribe) against the caller's buckets. */
    async admitOperation(caller: Caller): Promise<Admission> {
      return ops.admit([caller.ip, caller.viewer?.userId ?? null]);
    },
    /** Each credential field costs a password hash upstream, so each one counts. */
    async admitCredentialFields(ip: string, counts: Record<keyof typeof perIp, number>): Promise<Admission> {
      const fields = (Object.keys(perIp) as Array<keyof typeof perIp>).filter((field) => counts[field] > 0);
      return strictest(await Promise.all(fields.map((field) => perIp[field].attempt(ip, counts[field]))));
    },
    sockets: socketSlots(redis, { perUser: settings.MAX_SOCKETS_PER_USER, perIp: settings.MAX_SOCKETS_PER_IP }),
    maxSubscriptionsPerSocket: settings.MAX_SUBSCRIPTIONS_PER_SOCKET,
  };
}

export type GatewayLimits = ReturnType<typeof createGatewayLimits>;
