import { describe, expect, it } from 'vitest';
import { demoAccounts } from './demoUsers.js';
import { verifyPassword } from './passwords.js';
import { parseUsers } from './users.js';

describe('demo accounts', () => {
  it('gives every role (two operators, for four eyes) fresh passwords whose hashes pass the users check', async () => {
    const [first, second] = await Promise.all([demoAccounts(), demoAccounts()]);
    expect(first.map((a) => `${a.name}:${a.role}`)).toEqual(['admin:admin', 'operator:operator', 'operator2:operator', 'viewer:viewer']);
    expect(parseUsers(first.map((a) => a.record), 'demo')).toHaveLength(4);
    expect(await verifyPassword(first[0]!.password, first[0]!.record.password_hash)).toBe(true);
    expect(first[0]!.password).not.toBe(second[0]!.password);
    expect(JSON.stringify(first.map((a) => a.record))).not.toContain(first[0]!.password);
  });
});
