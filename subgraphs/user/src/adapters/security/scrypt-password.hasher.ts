import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '../../application/ports';

const KEY_LENGTH = 64;
const scryptAsync = (password: string, salt: Buffer, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

/**
 * scrypt (memory-hard) with the parameters stored in each hash, so the cost can be raised later
 * and old hashes still verify. Format: `scrypt$<log2N>$<r>$<p>$<salt b64>$<key b64>`.
 * Default log2N = 15, r = 8: 32 MiB per hash (OWASP's scrypt recommendation).
 */
export function createScryptPasswordHasher(log2N = 15): PasswordHasher {
  if (log2N < 10 || log2N > 20) throw new Error('PASSWORD_HASH_LOG2_COST must be between 10 and 20');
  const r = 8;
  const p = 1;
  const memoryFor = (n: number, blockSize: number) => 256 * n * blockSize;
  return {
    async hash(password) {
      const salt = randomBytes(16);
      const N = 2 ** log2N;
      const key = await scryptAsync(password, salt, { N, r, p, maxmem: memoryFor(N, r) });
      return ['scrypt', log2N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
    },
    async verify(password, stored) {
      const [scheme, cost, blockSize, parallel, salt, key] = stored.split('$');
      if (scheme !== 'scrypt' || !cost || !blockSize || !parallel || !salt || !key) return false;
      const N = 2 ** Number(cost);
      const expected = Buffer.from(key, 'base64');
      const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), {
        N,
        r: Number(blockSize),
        p: Number(parallel),
        maxmem: memoryFor(N, Number(blockSize)),
      });
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}
