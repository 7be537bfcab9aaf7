import { randomUUID } from 'node:crypto';
import { fansAdmitted, policyChanged } from '../src/domain/queue-events';

const scheduleId = randomUUID();
const admin = randomUUID();
const settings = { admitsPerSecond: 50, maxActive: 1_000, paused: false };

describe('queue events', () => {
  it('given an admission step that admitted two tickets, then each is a FanAdmitted at version 0 of its own ticket stream', () => {
    const now = new Date('2031-05-01T10:00:00.000Z');
    const expiresAt = new Date('2031-05-01T10:10:00.000Z');

    const events = fansAdmitted({ scheduleId, now, admitted: [{ ticketId: 't-1', queueNumber: 1, expiresAt }, { ticketId: 't-2', queueNumber: 2, expiresAt }] });

    expect(events).toEqual([
      { ticketId: 't-1', streamVersion: 0, event: { type: 'FanAdmitted', payload: { scheduleId, ticketId: 't-1', queueNumber: 1, admittedAt: now.toISOString(), expiresAt: expiresAt.toISOString() } } },
      { ticketId: 't-2', streamVersion: 0, event: { type: 'FanAdmitted', payload: { scheduleId, ticketId: 't-2', queueNumber: 2, admittedAt: now.toISOString(), expiresAt: expiresAt.toISOString() } } },
    ]);
  });

  it('given a step that admitted nobody, then there is no event', () => {
    expect(fansAdmitted({ scheduleId, now: new Date(), admitted: [] })).toEqual([]);
  });

  it('given a new rate, then it is one QueuePolicyChanged with the settings before and after', () => {
    expect(policyChanged(scheduleId, admin, settings, { ...settings, admitsPerSecond: 80 })).toEqual([
      { type: 'QueuePolicyChanged', payload: { scheduleId, changedBy: admin, admitsPerSecond: 80, maxActive: 1_000, previous: { admitsPerSecond: 50, maxActive: 1_000 } } },
    ]);
  });

  it('given a pause, then it is one QueuePaused; given a resume, one QueueResumed', () => {
    expect(policyChanged(scheduleId, admin, settings, { ...settings, paused: true })).toEqual([{ type: 'QueuePaused', payload: { scheduleId, changedBy: admin } }]);
    expect(policyChanged(scheduleId, admin, { ...settings, paused: true }, settings)).toEqual([{ type: 'QueueResumed', payload: { scheduleId, changedBy: admin } }]);
  });

  it('given a new cap and a pause in one change, then the new settings come first, then the pause', () => {
    expect(policyChanged(scheduleId, admin, settings, { ...settings, maxActive: 10, paused: true }).map((event) => event.type)).toEqual(['QueuePolicyChanged', 'QueuePaused']);
  });

  it('given a change that sets what is already set, then there is no event', () => {
    expect(policyChanged(scheduleId, admin, settings, { ...settings })).toEqual([]);
  });
});
