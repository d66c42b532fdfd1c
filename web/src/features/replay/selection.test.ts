import { describe, expect, it } from 'vitest';
import { describeSelection, formFromParams, formProblem, isAsked, paramsFromForm, selectionFromParams, selectionKey } from './selection';
import { T0 } from './replayFixtures';

const none = { select: '', event: '', exception: '', flow: '', step: '', system: '', error: '' };
const hour = { kind: 'relative', range: '1h' } as const;
const utc = { locale: 'en-GB', timeZone: 'UTC' };

describe('the replay selection in the link', () => {
  it('opens an exception link (from the exceptions pane) on its dry run', () => {
    const params = { ...none, exception: '0123456789ABCDEF' };
    expect(formFromParams(params).kind).toBe('exception');
    expect(isAsked(params)).toBe(true);
    expect(selectionFromParams(params, hour, T0)).toEqual({ kind: 'exception', exception_id: '0123456789abcdef' });
  });

  it('turns a filter over the range into its instants, leaving out empty fields', () => {
    const params = { ...none, select: 'filter', system: 'erp', error: 'HTTP_503' };
    expect(isAsked(params)).toBe(true);
    expect(selectionFromParams(params, hour, T0 + 456)).toEqual({ kind: 'filter', from: T0 - 3_600_000, to: T0, system: 'erp', error_code: 'HTTP_503' });
    expect(selectionFromParams(params, { kind: 'absolute', from: 5, to: 9 }, T0)).toMatchObject({ from: 5, to: 9 });
  });

  it('is not asked until a filter is (a bare screen previews nothing)', () => {
    expect(isAsked(none)).toBe(false);
    expect(isAsked({ ...none, flow: 'order_to_cash' })).toBe(false);
    expect(formFromParams(none).kind).toBe('filter');
  });

  it('writes a submitted form as its kind, clearing the others', () => {
    expect(paramsFromForm({ kind: 'event', event: ' evt-1 ', exception: 'x', flow: 'f', step: '', system: '', error: '' })).toEqual({
      select: '',
      event: 'evt-1',
      exception: '',
      flow: '',
      step: '',
      system: '',
      error: '',
    });
    expect(paramsFromForm({ kind: 'filter', event: 'evt-1', exception: '', flow: ' order_to_cash', step: '', system: 'erp', error: '' })).toMatchObject({ select: 'filter', event: '', flow: 'order_to_cash', system: 'erp' });
  });

  it('says what a form is missing before asking', () => {
    expect(formProblem({ ...none, kind: 'event' })?.field).toBe('event');
    expect(formProblem({ ...none, kind: 'exception', exception: 'abc' })?.message).toMatch(/16 hex characters/);
    expect(formProblem({ ...none, kind: 'filter' })).toBeUndefined();
  });

  it('keys the selection without the clock', () => {
    expect(selectionKey({ ...none, select: 'filter', flow: 'x' }, hour)).toBe('filter|1h|x|||');
    expect(selectionKey({ ...none, event: 'e' }, hour)).toBe('event|e');
  });

  it('describes a selection, a job\'s too', () => {
    expect(describeSelection({ kind: 'filter', from: Date.UTC(2026, 10, 27, 10), to: Date.UTC(2026, 10, 27, 11), flow: 'order_to_cash', error_code: 'HTTP_503' }, utc)).toBe(
      'failed events 27 Nov, 10:00 – 11:00 · flow order_to_cash · error HTTP_503',
    );
    expect(describeSelection({ kind: 'exception', exception_id: 'abc' })).toBe('exception abc');
    expect(describeSelection({ kind: 'later' })).toBe('{"kind":"later"}');
  });
});
