import { ERROR_CODES, failureFrom, humanMessage } from '../src/api/errors';
import { formatWait, waitingRoomState } from '../src/fan/waiting-room.model';

const now = new Date('2030-05-01T12:00:00Z');

describe('the waiting room', () => {
  it('given a WAITING ticket without a position before opening, then it is the pre-queue', () => {
    expect(waitingRoomState({ status: 'WAITING', position: null, opensAt: '2030-05-01T13:00:00Z' }, now)).toEqual({ kind: 'pre-queue', opensAt: '2030-05-01T13:00:00Z' });
  });

  it('given a WAITING ticket with a position, then the fan is in line with the estimate', () => {
    expect(waitingRoomState({ status: 'WAITING', position: 3, estimatedWaitSeconds: 12 }, now)).toEqual({ kind: 'in-line', position: 3, etaSeconds: 12 });
  });

  it('given a WAITING ticket without a position after opening, then the line is held still', () => {
    expect(waitingRoomState({ status: 'WAITING', position: null, opensAt: '2030-05-01T11:00:00Z' }, now)).toEqual({ kind: 'paused' });
  });

  it('given ACTIVE or EXPIRED tickets, then admitted with its end, or expired', () => {
    expect(waitingRoomState({ status: 'ACTIVE', expiresAt: '2030-05-01T12:10:00Z' }, now)).toEqual({ kind: 'admitted', expiresAt: '2030-05-01T12:10:00Z' });
    expect(waitingRoomState({ status: 'EXPIRED' }, now)).toEqual({ kind: 'expired' });
  });

  it('rounds estimates to what a person reads', () => {
    expect([formatWait(0.2), formatWait(42), formatWait(125)]).toEqual(['about 1 s', 'about 42 s', 'about 2 min 5 s']);
  });
});

describe('error messages', () => {
  it('every documented code has its own human message', () => {
    const messages = ERROR_CODES.map((code) => humanMessage({ code }));
    expect(new Set(messages).size).toBe(ERROR_CODES.length);
    expect(messages.every((message) => message.length > 10 && !message.includes('_'))).toBe(true);
  });

  it('RATE_LIMITED says when to try again', () => {
    expect(humanMessage(failureFrom({ message: 'slow down', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 30 } }))).toBe('Too many attempts. Please try again in 30 seconds.');
  });

  it('an unknown code reads as a failure on our side, not as the raw code', () => {
    expect(failureFrom({ extensions: { code: 'INTERNAL_SERVER_ERROR' } }).code).toBe('UNKNOWN');
  });
});
