import type { WorkflowRequest } from './api';

export type WorkflowKind = WorkflowRequest['action'];
export type FormProblem = { field: 'assignee' | 'note'; message: string };

/**
 * The request for one workflow action from what the person typed, or what is missing — said before anything is
 * sent, in the words the server would use (assign needs someone, resolve and comment need a note). Who acts is
 * not part of it: the server records the signed-in person.
 */
export function workflowRequest(kind: WorkflowKind, input: { assignee?: string; note?: string }): { request: WorkflowRequest } | { problem: FormProblem } {
  if (kind === 'assign') {
    const assignee = input.assignee?.trim() ?? '';
    if (assignee === '') return { problem: { field: 'assignee', message: 'Type who should take it, then Assign.' } };
    return { request: { action: 'assign', assignee } };
  }
  if (kind === 'comment' || kind === 'resolve') {
    const note = input.note?.trim() ?? '';
    if (note === '') return { problem: { field: 'note', message: kind === 'resolve' ? 'Say in the note how it was fixed, then Resolve.' : 'Write the comment in the note first.' } };
    return { request: { action: kind, note } };
  }
  return { request: { action: kind } };
}

const DONE: Readonly<Record<WorkflowKind, string>> = {
  assign: 'Assigned',
  acknowledge: 'Acknowledged',
  comment: 'Commented on',
  resolve: 'Resolved',
  reopen: 'Reopened',
};

/** "Acknowledged 2 exceptions", "Assigned 1 exception to bo". */
export function doneMessage(request: WorkflowRequest, count: number): string {
  const what = `${count} ${count === 1 ? 'exception' : 'exceptions'}`;
  return request.action === 'assign' ? `${DONE.assign} ${what} to ${request.assignee}` : `${DONE[request.action]} ${what}`;
}
