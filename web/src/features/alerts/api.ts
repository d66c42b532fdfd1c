import { deleteJson, getJson, postJson } from '../../api/client';
import { alertDetailSchema, alertItemSchema, alertListSchema, muteListSchema, muteSchema, type AlertDetail, type AlertItem, type AlertList, type MuteItem, type MuteList } from '../../api/contracts';
import { ALERTS_KEY } from '../../api/queryKeys';

export function alertListKey(search: string) {
  return [...ALERTS_KEY, 'list', search] as const;
}

export function alertDetailKey(id: string) {
  return [...ALERTS_KEY, 'detail', id] as const;
}

export function alertMutesKey() {
  return [...ALERTS_KEY, 'mutes'] as const;
}

/** The banner's question, asked on every screen: which alerts are firing now. */
export function firingAlertsKey() {
  return [...ALERTS_KEY, 'firing'] as const;
}

/** `GET /api/v1/alerts?…`: alerts in the asked states (open ones always, closed ones changed within the lookback) and counts per state. */
export function fetchAlertList(search: URLSearchParams, signal?: AbortSignal): Promise<AlertList> {
  return getJson(`/api/v1/alerts?${search}`, alertListSchema, signal);
}

/** `GET /api/v1/alerts/{id}`: the alert, every transition, every notification, and the receivers it is routed to. */
export function fetchAlertDetail(id: string, signal?: AbortSignal): Promise<AlertDetail> {
  return getJson(`/api/v1/alerts/${encodeURIComponent(id)}`, alertDetailSchema, signal);
}

/** `GET /api/v1/alerts/mutes`: mutes in force, scheduled, or ended within the last day. */
export function fetchMutes(signal?: AbortSignal): Promise<MuteList> {
  return getJson('/api/v1/alerts/mutes', muteListSchema, signal);
}

export type AlertAction = 'acknowledge' | 'resolve';

/** `POST /api/v1/alerts/{id}/acknowledge|resolve`, recorded as the signed-in person. */
export function postAlertAction(id: string, action: AlertAction, body: { note: string }): Promise<AlertItem> {
  return postJson(`/api/v1/alerts/${encodeURIComponent(id)}/${action}`, body, alertItemSchema);
}

export type MuteMatcher = { alert_id?: string; rule?: string; policy?: string; owner?: string; flow?: string; severity?: string; group?: Record<string, string> };
export type MuteRequest = { matcher: MuteMatcher; ends_at: number; reason: string };

/** `POST /api/v1/alerts/mutes`: notifications of matching alerts are held back until `ends_at`; they still show. */
export function postMute(request: MuteRequest): Promise<MuteItem> {
  return postJson('/api/v1/alerts/mutes', request, muteSchema);
}

/** `DELETE /api/v1/alerts/mutes/{id}`: end a mute in force now, as the signed-in person. */
export function deleteMute(id: string): Promise<MuteItem> {
  return deleteJson(`/api/v1/alerts/mutes/${encodeURIComponent(id)}`, muteSchema);
}
