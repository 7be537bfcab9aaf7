import { z } from 'zod';
import { baseConfigSchema, DEVELOPMENT_SECRETS, loadConfig } from '../src/config';

const strong = 'a'.repeat(64);
const schema = baseConfigSchema.extend({});

describe('configuration secrets', () => {
  it('given no mode and no secret, when loading, then the process refuses to start: production is the default', () => {
    expect(() => loadConfig(schema, {})).toThrow(/JWT_SECRET must be set/);
  });

  it('given production and the documented development secret, when loading, then it is refused', () => {
    expect(() => loadConfig(schema, { NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_SECRETS.JWT_SECRET })).toThrow(
      /development value is refused in production/,
    );
  });

  it('given production and a short secret, when loading, then it is refused', () => {
    expect(() => loadConfig(schema, { JWT_SECRET: 'short-but-16-chars-long' })).toThrow(/at least 32 characters/);
  });

  it('given production and a known development value of a secret this process does not use, then it is still refused', () => {
    expect(() => loadConfig(schema, { JWT_SECRET: strong, QUEUE_TOKEN_SECRET: DEVELOPMENT_SECRETS.QUEUE_TOKEN_SECRET })).toThrow(/QUEUE_TOKEN_SECRET/);
  });

  it('given production and a strong secret, when loading, then it is used', () => {
    expect(loadConfig(schema, { JWT_SECRET: strong })).toMatchObject({ NODE_ENV: 'production', JWT_SECRET: strong });
  });

  it.each(['development', 'test'])('given %s mode and no secret, when loading, then the known development value is used', (mode) => {
    const withQueue = schema.extend({ QUEUE_TOKEN_SECRET: z.string() });
    expect(loadConfig(withQueue, { NODE_ENV: mode })).toMatchObject({
      JWT_SECRET: DEVELOPMENT_SECRETS.JWT_SECRET,
      QUEUE_TOKEN_SECRET: DEVELOPMENT_SECRETS.QUEUE_TOKEN_SECRET,
    });
  });

  it('given an unknown mode, when loading, then it is refused', () => {
    expect(() => loadConfig(schema, { NODE_ENV: 'staging', JWT_SECRET: strong })).toThrow(/NODE_ENV/);
  });
});
