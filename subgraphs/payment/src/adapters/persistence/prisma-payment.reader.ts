import type { PrismaClient } from '../../../generated/prisma';
import type { PaymentReader } from '../../application/ports';
import type { Payment } from '../../domain/payment';
import { queryableUuids } from './uuid';

const columns = { id: true, bookingId: true, userId: true, amount: true, status: true, reason: true } as const;

/** Payments for GraphQL, one query per batch of references. */
export function createPrismaPaymentReader(prisma: PrismaClient): PaymentReader {
  return {
    async findByIds(ids): Promise<Payment[]> {
      const wanted = queryableUuids(ids);
      return wanted.length === 0 ? [] : prisma.payment.findMany({ where: { id: { in: wanted } }, select: columns });
    },
    async findByBookingIds(bookingIds): Promise<Payment[]> {
      const wanted = queryableUuids(bookingIds);
      return wanted.length === 0 ? [] : prisma.payment.findMany({ where: { bookingId: { in: wanted } }, select: columns });
    },
  };
}
