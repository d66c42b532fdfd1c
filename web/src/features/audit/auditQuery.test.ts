import { describe, expect, it } from 'vitest';
import { ROUTE_RULES } from '../../api/contracts';
import { auditActionGroups, auditSearch, clearedFilters, filterParams, hasActiveFilters, parseResults, resultsParam, type AuditFilters } from './auditQuery';

const none: AuditFilters = { actor: '', action: '', target: '', results: [] };
const T0 = Date.UTC(2026, 10, 27, 14, 0, 0);

describe('the audit filters in the link', () => {
  it('read the results, every one when none is named, and say what a mistyped link named', () => {
    expect(parseResults('')).toEqual({ results: [], problem: undefined });
    expect(parseResults('denied, FAILED')).toEqual({ results: ['denied', 'failed'], problem: undefined });
    expect(parseResults('denied,refused')).toEqual({ results: ['denied'], problem: "The link's result refused is not one of ok, denied, failed; ignored." });
  });

  it('write the results in a fixed order, and nothing for all or none', () => {
    expect(resultsParam(['failed', 'denied'])).toBe('denied,failed');
    expect(resultsParam(['ok', 'denied', 'failed'])).toBe('');
    expect(resultsParam([])).toBe('');
  });

  it('round-trip: what is written is read back the same', () => {
    const filters: AuditFilters = { actor: ' olga ', action: 'alert.acknowledge', target: '0123456789abcdef', results: ['ok'] };
    const params = filterParams(filters);
    expect(params).toEqual({ actor: 'olga', action: 'alert.acknowledge', target: '0123456789abcdef', result: 'ok' });
    expect(parseResults(params.result).results).toEqual(['ok']);
  });

  it('know when any is set, and how to clear them all', () => {
    expect(hasActiveFilters(none)).toBe(false);
    expect(hasActiveFilters({ ...none, results: ['ok', 'denied', 'failed'] })).toBe(false);
    expect(hasActiveFilters({ ...none, results: ['denied'] })).toBe(true);
    expect(hasActiveFilters({ ...none, actor: 'vera' })).toBe(true);
    expect(clearedFilters()).toEqual({ actor: '', action: '', target: '', result: '' });
  });
});

describe("the audit trail's request", () => {
  it('asks for the window, only the filters that narrow it, and the page', () => {
    const search = auditSearch({ ...none, actor: 'vera', results: ['denied'] }, { from: T0 - 3_600_000, to: T0 }, { limit: 100, offset: 200 });
    expect(search.toString()).toBe(`from=${T0 - 3_600_000}&to=${T0}&actor=vera&result=denied&limit=100&offset=200`);
  });
});

describe('the actions offered as a filter', () => {
  it("are the policy's action names and the server's configuration changes, grouped by what they act on, with a linked one kept", () => {
    const groups = auditActionGroups(ROUTE_RULES, 'unlisted');
    expect(groups.map((g) => g.group)).toEqual(['alert', 'config', 'exception', 'replay', 'session', 'other']);
    expect(groups.find((g) => g.group === 'config')?.actions).toEqual(['config.change', 'config.users']);
    expect(groups.find((g) => g.group === 'alert')?.actions).toEqual(['alert.acknowledge', 'alert.mute', 'alert.resolve', 'alert.unmute']);
    expect(groups.find((g) => g.group === 'replay')?.actions).toContain('replay.approve');
    expect(groups.find((g) => g.group === 'other')?.actions).toEqual(['unlisted']);
  });
});
