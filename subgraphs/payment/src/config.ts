import { z } from 'zod';
import { baseConfigSchema, loadConfig, ports } from '@ticketing/platform';

export const paymentConfigSchema = baseConfigSchema.extend({
  PAYMENT_PORT: ports.payment,
  PAYMENT_DATABASE_URL: z.string().default('postgresql://ticketing:ticketing@127.0.0.1:5432/ticketing_payment'),
  /** The pg pool every write uses: charges (which queue on a wallet's row lock holding one), the consumer and the relay. */
  PG_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
});

export type PaymentConfig = z.infer<typeof paymentConfigSchema>;
export const loadPaymentConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(paymentConfigSchema, env);
