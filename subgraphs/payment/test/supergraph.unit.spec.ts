import { buildSchema, isObjectType } from 'graphql';
import { composeSupergraph } from '../../../gateway/src/supergraph';

const urls = {
  user: 'http://user/graphql',
  concert: 'http://concert/graphql',
  queue: 'http://queue/graphql',
  booking: 'http://booking/graphql',
  payment: 'http://payment/graphql',
};

describe("payment's part of the supergraph", () => {
  it('composes with every subgraph as the gateway composes it, adding Booking.payment and the Payment entity', () => {
    const supergraph = buildSchema(composeSupergraph(urls), { assumeValidSDL: true });

    const booking = supergraph.getType('Booking');
    const payment = supergraph.getType('Payment');
    expect(isObjectType(booking) && booking.getFields()['payment']?.type.toString()).toBe('Payment');
    expect(isObjectType(payment) && Object.keys(payment.getFields())).toEqual(['id', 'bookingId', 'amount', 'status']);
    expect(supergraph.getType('PaymentStatus')?.toString()).toBe('PaymentStatus');
  });
});
