import { randomUUID } from 'node:crypto';
import { changeConcert, validateConcertChange, validateNewConcert } from '../src/domain/concert-details';
import { LABEL_MAX_LENGTH, type Concert } from '../src/domain/catalog';

const concert: Concert = { id: randomUUID(), title: 'Midnight Aurora Tour', artist: 'Seoul Lights', venue: 'KSPO Dome, Seoul', createdAt: new Date('2030-01-01T00:00:00Z') };

describe('a new concert', () => {
  it('given details with surrounding spaces, then they are valid and trimmed', () => {
    expect(validateNewConcert({ title: '  Echoes of Spring ', artist: 'Han River Orchestra', venue: ' Olympic Hall' })).toEqual({
      kind: 'Valid',
      details: { title: 'Echoes of Spring', artist: 'Han River Orchestra', venue: 'Olympic Hall' },
    });
  });

  it('given a title of only spaces, then it is refused on input.title', () => {
    expect(validateNewConcert({ title: '   ', artist: 'A', venue: 'V' })).toMatchObject({ kind: 'InvalidInput', field: 'input.title' });
  });

  it(`given an artist longer than ${LABEL_MAX_LENGTH} characters, then it is refused on input.artist`, () => {
    expect(validateNewConcert({ title: 'T', artist: 'x'.repeat((LABEL_MAX_LENGTH ?? 0) + 1), venue: 'V' })).toMatchObject({ kind: 'InvalidInput', field: 'input.artist' });
  });

  it('given an empty venue, then it is refused on input.venue', () => {
    expect(validateNewConcert({ title: 'T', artist: 'A', venue: '' })).toMatchObject({ kind: 'InvalidInput', field: 'input.venue' });
  });
});

describe('a concert change', () => {
  it('given null and absent fields, then they are left out of the change', () => {
    expect(validateConcertChange({ title: null, venue: ' New Hall ' })).toEqual({ kind: 'Valid', change: { venue: 'New Hall' } });
  });

  it('given an empty title, then it is refused on input.title', () => {
    expect(validateConcertChange({ title: ' ' })).toMatchObject({ kind: 'InvalidInput', field: 'input.title' });
  });

  it('given a new venue and the current title, then ConcertChanged carries only the venue', () => {
    const outcome = changeConcert(concert, { title: concert.title, venue: 'Gocheok Sky Dome' });
    expect(outcome).toEqual({
      kind: 'ConcertChanged',
      concert: { ...concert, venue: 'Gocheok Sky Dome' },
      events: [{ type: 'ConcertChanged', payload: { concertId: concert.id, venue: 'Gocheok Sky Dome' } }],
    });
  });

  it('given only the current values, then the concert is unchanged and there is no event', () => {
    expect(changeConcert(concert, { title: concert.title, artist: concert.artist })).toEqual({ kind: 'ConcertUnchanged', concert });
  });

  it('given an empty change, then the concert is unchanged', () => {
    expect(changeConcert(concert, {})).toEqual({ kind: 'ConcertUnchanged', concert });
  });
});
