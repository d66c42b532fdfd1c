import type { AlertReceiver } from '../../../catalog/alertSchema.js';
import { percent } from '../../../domain/alerts.js';
import { groupText, headline, type AlertNotice, type OutgoingRequest } from './notice.js';

type SlackReceiver = Extract<AlertReceiver, { type: 'slack' }>;

const ICON: Record<AlertNotice['action'], string> = { trigger: ':rotating_light:', renotify: ':rotating_light:', acknowledge: ':eyes:', resolve: ':white_check_mark:' };

/** Slack's mrkdwn control characters, escaped so a policy name cannot break the message or forge a link. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A Slack incoming-webhook message: `text` says it all in one line (policy, severity, attainment, link) and is
 * what notifications and screen readers show; the blocks lay out the same for the channel.
 */
export function slackMessage(notice: AlertNotice): { text: string; blocks: Record<string, unknown>[] } {
  const { alert, details } = notice;
  const f = details.facts;
  const what = headline(notice);
  const severity = alert.severity.toUpperCase();
  const link = `<${notice.link}|${slackEscape(details.policy_name)}>`;
  const text = `${ICON[notice.action]} ${what} [${severity}] ${slackEscape(details.summary)} — ${link}`;
  const fields = [
    ['Policy', `${link} (\`${alert.policy}\`)`],
    ['Severity', severity],
    ['Attainment', `${percent(f.attainment)} against ${percent(f.objective)}`],
    ['Owner', slackEscape(alert.owner)],
    ['Rule', slackEscape(details.rule_name)],
    ...(groupText(alert.group) === '' ? [] : [['Group', slackEscape(groupText(alert.group))]]),
  ].map(([label, value]) => ({ type: 'mrkdwn', text: `*${label}*\n${value}` }));
  const notes = [
    alert.acknowledged ? `acknowledged by ${slackEscape(alert.acknowledged.by)}${alert.acknowledged.note ? `: ${slackEscape(alert.acknowledged.note)}` : ''}` : '',
    alert.resolved && alert.resolved.note ? `resolved: ${slackEscape(alert.resolved.note)}` : '',
    `\`${slackEscape(alert.dedup_key)}\``,
  ].filter((n) => n !== '');
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${ICON[notice.action]} *${what}* · *${severity}*\n${slackEscape(details.summary)}` } },
      { type: 'section', fields },
      { type: 'section', text: { type: 'mrkdwn', text: `<${notice.link}|Open the SLA in Flowlens>` } },
      { type: 'context', elements: notes.map((n) => ({ type: 'mrkdwn', text: n })) },
    ],
  };
}

export function slackRequest(receiver: SlackReceiver, notice: AlertNotice): OutgoingRequest {
  return { url: receiver.url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(slackMessage(notice)) };
}
