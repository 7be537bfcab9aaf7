import { prometheus, type Metrics } from '@ticketing/platform';
import type { Payment } from '../../domain/payment';

/** A payment's outcome as the consumer committed it. */
export type CommittedPaymentOutcome = { kind: 'PaymentCompleted' | 'PaymentFailed' | 'PaymentRefunded'; payment: Payment };

/**
 * Payment's business metrics, counted after the inbox transaction committed (a rolled-back or
 * redelivered PaymentRequested counts once): outcomes, failures by reason (a domain constant,
 * so the label stays bounded) and revenue, the KRW of completed payments. Revenue is not
 * decremented by refunds: `payment_refunded_krw_total` says how much went back.
 */
export function createPaymentMetrics({ registry }: Pick<Metrics, 'registry'>) {
  const registers = [registry];
  const outcomes = new prometheus.Counter({
    name: 'payment_outcomes_total',
    help: 'Payments by outcome (completed, failed, refunded) and failure reason',
    labelNames: ['outcome', 'reason'] as const,
    registers,
  });
  const revenue = new prometheus.Counter({ name: 'payment_revenue_krw_total', help: 'KRW collected by completed payments', registers });
  const refunded = new prometheus.Counter({ name: 'payment_refunded_krw_total', help: 'KRW given back by refunds', registers });

  return {
    outcomeCommitted({ kind, payment }: CommittedPaymentOutcome): void {
      switch (kind) {
        case 'PaymentCompleted':
          outcomes.inc({ outcome: 'completed', reason: '' });
          revenue.inc(payment.amount);
          return;
        case 'PaymentFailed':
          outcomes.inc({ outcome: 'failed', reason: payment.reason ?? 'unknown' });
          return;
        case 'PaymentRefunded':
          outcomes.inc({ outcome: 'refunded', reason: '' });
          refunded.inc(payment.amount);
          return;
      }
    },
  };
}
