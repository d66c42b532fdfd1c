import { describe, expect, it } from 'vitest';
import { meets, permit } from './permissions';

describe('what a role may do', () => {
  it('ranks the roles: each may do what the ones below it may', () => {
    expect(meets('admin', 'operator')).toBe(true);
    expect(meets('operator', 'operator')).toBe(true);
    expect(meets('viewer', 'operator')).toBe(false);
    expect(meets('operator', 'admin')).toBe(false);
  });

  it('says why an action is out of reach and whom to ask', () => {
    expect(permit({ role: 'viewer' }, 'operator', 'acknowledge alerts')).toEqual({ allowed: false, reason: "Viewers can't acknowledge alerts — ask an operator" });
    expect(permit({ role: 'operator' }, 'admin', 'read the audit trail')).toEqual({ allowed: false, reason: "Operators can't read the audit trail — ask an admin" });
  });

  it('lets an operator or admin act, and leaves it to the server when nobody is known yet', () => {
    expect(permit({ role: 'operator' }, 'operator', 'acknowledge alerts').allowed).toBe(true);
    expect(permit({ role: 'admin' }, 'operator', 'acknowledge alerts').allowed).toBe(true);
    expect(permit(undefined, 'operator', 'acknowledge alerts').allowed).toBe(true);
  });
});
