import { prometheus } from '@ticketing/platform';
import { createPaymentMetrics } from '../src/adapters/metrics/payment.metrics';
import type { Payment } from '../src/domain/payment';

const payment = (amount: number, status: Payment['status'], reason: string | null = null): Payment => ({ id: 'p', bookingId: 'b', userId: 'u', amount, status, reason });

describe('payment metrics', () => {
  it('given two completed payments, one failed and one refunded, then outcomes, revenue and refunds moved by exactly those', async () => {
    const registry = new prometheus.Registry();
    const metrics = createPaymentMetrics({ registry });

    metrics.outcomeCommitted({ kind: 'PaymentCompleted', payment: payment(50_000, 'COMPLETED') });
    metrics.outcomeCommitted({ kind: 'PaymentCompleted', payment: payment(30_000, 'COMPLETED') });
    metrics.outcomeCommitted({ kind: 'PaymentFailed', payment: payment(70_000, 'FAILED', 'INSUFFICIENT_BALANCE') });
    metrics.outcomeCommitted({ kind: 'PaymentRefunded', payment: payment(30_000, 'REFUNDED', 'late') });

    const text = await registry.metrics();
    expect(text).toContain('payment_outcomes_total{outcome="completed",reason=""} 2');
    expect(text).toContain('payment_outcomes_total{outcome="failed",reason="INSUFFICIENT_BALANCE"} 1');
    expect(text).toContain('payment_outcomes_total{outcome="refunded",reason=""} 1');
    expect(text).toContain('payment_revenue_krw_total 80000');
    expect(text).toContain('payment_refunded_krw_total 30000');
  });
});
