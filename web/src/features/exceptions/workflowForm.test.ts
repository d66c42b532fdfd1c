import { describe, expect, it } from 'vitest';
import { doneMessage, workflowRequest } from './workflowForm';

describe('workflow forms', () => {
  it('builds the request as typed, trimmed, without who acts (the server records the signed-in person)', () => {
    expect(workflowRequest('assign', { assignee: ' bo ' })).toEqual({ request: { action: 'assign', assignee: 'bo' } });
    expect(workflowRequest('acknowledge', { note: 'ignored' })).toEqual({ request: { action: 'acknowledge' } });
    expect(workflowRequest('resolve', { note: ' posted by hand ' })).toEqual({ request: { action: 'resolve', note: 'posted by hand' } });
  });

  it('says what is missing before sending anything', () => {
    expect(workflowRequest('assign', { assignee: '' })).toMatchObject({ problem: { field: 'assignee' } });
    expect(workflowRequest('resolve', { note: ' ' })).toEqual({ problem: { field: 'note', message: 'Say in the note how it was fixed, then Resolve.' } });
    expect(workflowRequest('comment', {})).toMatchObject({ problem: { field: 'note' } });
  });

  it('says what was done', () => {
    expect(doneMessage({ action: 'acknowledge' }, 2)).toBe('Acknowledged 2 exceptions');
    expect(doneMessage({ action: 'assign', assignee: 'bo' }, 1)).toBe('Assigned 1 exception to bo');
  });
});
