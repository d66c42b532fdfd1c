import { describe, expect, it } from 'vitest';
import { doneMessage, workflowRequest } from './workflowForm';

describe('workflow forms', () => {
  it('builds the request as the actor typed it, trimmed', () => {
    expect(workflowRequest('assign', { actor: ' Ana Lopez ', assignee: ' bo ' })).toEqual({ request: { action: 'assign', actor: 'Ana Lopez', assignee: 'bo' } });
    expect(workflowRequest('acknowledge', { actor: 'ana', note: 'ignored' })).toEqual({ request: { action: 'acknowledge', actor: 'ana' } });
    expect(workflowRequest('resolve', { actor: 'ana', note: 'posted by hand' })).toEqual({ request: { action: 'resolve', actor: 'ana', note: 'posted by hand' } });
  });

  it('says what is missing before sending anything', () => {
    expect(workflowRequest('acknowledge', { actor: '  ' })).toEqual({ problem: { field: 'actor', message: 'Type your name in “Acting as” first: every action records who took it.' } });
    expect(workflowRequest('assign', { actor: 'ana', assignee: '' })).toMatchObject({ problem: { field: 'assignee' } });
    expect(workflowRequest('resolve', { actor: 'ana', note: ' ' })).toEqual({ problem: { field: 'note', message: 'Say in the note how it was fixed, then Resolve.' } });
    expect(workflowRequest('comment', { actor: 'ana' })).toMatchObject({ problem: { field: 'note' } });
  });

  it('says what was done', () => {
    expect(doneMessage({ action: 'acknowledge', actor: 'ana' }, 2)).toBe('Acknowledged 2 exceptions');
    expect(doneMessage({ action: 'assign', actor: 'ana', assignee: 'bo' }, 1)).toBe('Assigned 1 exception to bo');
  });
});
