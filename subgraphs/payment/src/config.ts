import { z } from 'zod';
import { baseConfigSchema, loadConfig, ports } from '@ticketing/platform';

export const paymentConfigSchema = baseConfigSchema.extend({
  PAYMENT_PORT: ports.payment,
  PAYMENT_DATABASE_URL: z.string().default('postgresql://ticketing:ticketing@127.0.0.1:5432/ticketing_payment'),
});

export type PaymentConfig = z.infer<typeof paymentConfigSchema>;
export const loadPaymentConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(paymentConfigSchema, env);
