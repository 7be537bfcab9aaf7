import { buildSchema, isObjectType } from 'graphql';
import { SUBGRAPHS, type SubgraphName } from '@ticketing/contracts';
import { composeSupergraph } from '../../../gateway/src/supergraph';

/** Every subgraph of the registry, so a new member is composed here the day it joins. */
const urls = Object.fromEntries(SUBGRAPHS.map((service) => [service.name, `http://${service.name}/graphql`])) as Record<SubgraphName, string>;

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
