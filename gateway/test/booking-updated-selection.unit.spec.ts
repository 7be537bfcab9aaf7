import { parse, type OperationDefinitionNode } from 'graphql';
import { statusKeysIfMessageAnswers } from '../src/realtime/fields/booking-updated.source';

const selectionOf = (fields: string) => (parse(`{ ${fields} }`).definitions[0] as OperationDefinitionNode).selectionSet;

describe('which bookingUpdated selections a BookingChanged message answers', () => {
  it.each([
    ['status', ['status']],
    ['id status amount __typename', ['status']],
    ['id state: status status createdAt', ['state', 'status']],
    ['id amount', []],
  ])('given %s, then the status is written under %j', (fields, keys) => {
    expect(statusKeysIfMessageAnswers(selectionOf(fields))).toEqual(keys);
  });

  it.each([
    'status heldUntil',
    'status history { status }',
    'status seats { id }',
    'status ... on Booking { amount }',
    'status @include(if: true)',
    'status user { name }',
  ])('given %s, then every change is re-read', (fields) => {
    expect(statusKeysIfMessageAnswers(selectionOf(fields))).toBeNull();
  });
});
