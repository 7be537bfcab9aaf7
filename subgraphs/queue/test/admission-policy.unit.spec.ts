import {
  ADMITS_PER_SECOND,
  applyPolicyChange,
  defaultPolicy,
  MAX_ACTIVE,
  parseScheduleId,
  validatePolicyChange,
} from '../src/domain/admission-policy';

describe('validatePolicyChange', () => {
  it('given values inside the bounds, then it keeps exactly the settings that were given', () => {
    expect(validatePolicyChange({ admitsPerSecond: 200 })).toEqual({ kind: 'Valid', change: { admitsPerSecond: 200 } });
    expect(validatePolicyChange({ maxActive: 5000, paused: false })).toEqual({ kind: 'Valid', change: { maxActive: 5000, paused: false } });
  });

  it('treats null like an absent setting: keep the current value', () => {
    expect(validatePolicyChange({ admitsPerSecond: null, maxActive: null, paused: true })).toEqual({ kind: 'Valid', change: { paused: true } });
  });

  it.each([
    [ADMITS_PER_SECOND.min, MAX_ACTIVE.min],
    [ADMITS_PER_SECOND.max, MAX_ACTIVE.max],
  ])('accepts the bounds themselves (rate %i, cap %i)', (admitsPerSecond, maxActive) => {
    expect(validatePolicyChange({ admitsPerSecond, maxActive }).kind).toBe('Valid');
  });

  it.each([0, -1, 10_001, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a rate of %p as OutOfRange', (admitsPerSecond) => {
    expect(validatePolicyChange({ admitsPerSecond })).toEqual({ kind: 'OutOfRange', field: 'admitsPerSecond', min: 1, max: 10_000 });
  });

  it.each([0, -1, 1_000_001, 2.5])('refuses a cap of %p as OutOfRange', (maxActive) => {
    expect(validatePolicyChange({ maxActive })).toEqual({ kind: 'OutOfRange', field: 'maxActive', min: 1, max: 1_000_000 });
  });

  it('refuses the whole change when one setting is out of range', () => {
    expect(validatePolicyChange({ admitsPerSecond: 100, maxActive: 0, paused: true }).kind).toBe('OutOfRange');
  });

  it('refuses a change that changes nothing', () => {
    expect(validatePolicyChange({})).toEqual({ kind: 'NothingToChange' });
    expect(validatePolicyChange({ admitsPerSecond: null, maxActive: null, paused: null })).toEqual({ kind: 'NothingToChange' });
  });
});

describe('applyPolicyChange', () => {
  const current = { admitsPerSecond: 50, maxActive: 1000, paused: false };

  it('given a current policy, when some settings change, then the others keep their value', () => {
    expect(applyPolicyChange(current, { paused: true })).toEqual({ admitsPerSecond: 50, maxActive: 1000, paused: true });
    expect(applyPolicyChange(current, { admitsPerSecond: 7, maxActive: 70 })).toEqual({ admitsPerSecond: 7, maxActive: 70, paused: false });
  });

  it('can unpause (false is a value, not an absence)', () => {
    expect(applyPolicyChange({ ...current, paused: true }, { paused: false }).paused).toBe(false);
  });
});

describe('defaultPolicy and parseScheduleId', () => {
  it('gives a schedule without a stored policy the deployment defaults, never touched by an admin', () => {
    expect(defaultPolicy('s', { admitsPerSecond: 50, maxActive: 1000, paused: false })).toEqual({
      scheduleId: 's',
      admitsPerSecond: 50,
      maxActive: 1000,
      paused: false,
      updatedAt: null,
    });
  });

  it('accepts UUIDs in any case, normalised to lower case, and nothing else', () => {
    expect(parseScheduleId('5C6D7E8F-0000-4000-8000-00000000000A')).toBe('5c6d7e8f-0000-4000-8000-00000000000a');
    for (const bad of ['', 'schedule-1', '5c6d7e8f-0000-4000-8000-00000000000', "1' OR '1'='1", ' 5c6d7e8f-0000-4000-8000-00000000000a']) {
      expect(parseScheduleId(bad)).toBeNull();
    }
  });
});
