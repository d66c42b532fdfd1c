/**
 * The link to one span in the team's trace viewer, from the template the server was given (FLOWLENS_TRACE_URL,
 * served with the views): `{trace_id}` and `{span_id}` filled in, each URL-encoded; null without a template.
 */
export function traceHref(template: string | null, traceId: string, spanId: string | null): string | null {
  if (template === null || template === '') return null;
  return template.replaceAll('{trace_id}', encodeURIComponent(traceId)).replaceAll('{span_id}', encodeURIComponent(spanId ?? ''));
}
