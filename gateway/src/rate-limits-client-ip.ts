import type { IncomingMessage } from 'node:http';
import express from 'express';
import { z } from 'zod';

/**
 * TRUST_PROXY, in express's own `trust proxy` vocabulary: `false` (default: the socket's peer is
 * the client), `true` (trust every hop), a hop count, or addresses/CIDRs/`loopback`,
 * `uniquelocal` separated by commas. Only trust what a load balancer in front really rewrites.
 */
export const trustProxySetting = z
  .string()
  .default('false')
  .transform((raw): boolean | number | string => {
    const value = raw.trim();
    if (value === 'true' || value === 'false') return value === 'true';
    if (/^\d+$/.test(value)) return Number(value);
    return value;
  });

/** Express's compiled `trust proxy fn`: is the address at this hop a proxy we trust? */
export type TrustProxy = (address: string, hop: number) => boolean;

/** TRUST_PROXY compiled exactly as Express compiles its `trust proxy` setting (by its own app settings). */
export function compileTrustProxy(setting: boolean | number | string): TrustProxy {
  return express().set('trust proxy', setting).get('trust proxy fn') as TrustProxy;
}

/**
 * The client's address of a request or a WebSocket upgrade (neither goes through Express): the
 * same walk as Express's `req.ip` (proxy-addr) with the same compiled trust function, so HTTP
 * and WebSocket limits key one client alike. Walks X-Forwarded-For from the nearest hop to the first untrusted one.
 */
export function clientIpOf(request: IncomingMessage, trust: TrustProxy): string {
  const forwarded = String(request.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean)
    .reverse();
  const chain = [request.socket.remoteAddress ?? 'unknown', ...forwarded];
  for (let hop = 0; hop < chain.length - 1; hop += 1) if (!trust(chain[hop]!, hop)) return chain[hop]!;
  return chain[chain.length - 1]!;
}
