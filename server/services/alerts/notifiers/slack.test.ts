import { describe, expect, it } from 'vitest';
import { slackEscape, slackMessage, slackRequest } from './slack.js';
import { sampleNotice } from './noticeFixtures.js';

describe('Slack incoming webhook message', () => {
  it('says in its text the state, the policy, the severity, the attainment and links to the view', () => {
    const { text } = slackMessage(sampleNotice());
    expect(text).toContain('Firing');
    expect(text).toContain('[CRITICAL]');
    expect(text).toContain('Refunds in the ledger within 2 min');
    expect(text).toContain('attainment 66.6 % against 99 %');
    expect(text).toContain(`<${sampleNotice().link}|Refunds in the ledger within 2 min>`);
  });

  it('lays the same out in blocks: the headline, the figures, the link, who acknowledged', () => {
    const { blocks } = slackMessage(sampleNotice({ action: 'acknowledge' }, { state: 'acknowledged', acknowledged: { by: 'alice', at: 1, note: 'replaying the ERP queue' } }));
    const all = JSON.stringify(blocks);
    expect(blocks.map((b) => b.type)).toEqual(['section', 'section', 'section', 'context']);
    expect(all).toContain('*Acknowledged by alice*');
    expect(all).toContain('*Attainment*\\n66.6 % against 99 %');
    expect(all).toContain('*Owner*\\nfinance');
    expect(all).toContain('*Group*\\nchannel=amazon');
    expect(all).toContain('acknowledged by alice: replaying the ERP queue');
    expect(all).toContain(`<${sampleNotice().link}|Open the SLA in Flowlens>`);
  });

  it('tells a resolve apart, and who resolved it by hand', () => {
    expect(slackMessage(sampleNotice({ action: 'resolve' }, { state: 'resolved', resolved: { by: 'flowlens', at: 1, note: 'condition cleared' } })).text).toMatch(/^:white_check_mark: Resolved \[CRITICAL\]/);
    expect(slackMessage(sampleNotice({ action: 'resolve' }, { state: 'resolved', resolved: { by: 'bob', at: 1, note: 'fixed' } })).text).toMatch(/Resolved by bob/);
  });

  it('escapes what Slack would read as markup, so a name cannot forge a link', () => {
    expect(slackEscape('<https://evil|click> & co')).toBe('&lt;https://evil|click&gt; &amp; co');
    const notice = sampleNotice();
    notice.details = { ...notice.details, policy_name: 'A <b> & c' };
    expect(slackMessage(notice).text).toContain('|A &lt;b&gt; &amp; c>');
  });

  it('posts JSON to the webhook URL', () => {
    const request = slackRequest({ id: 's', type: 'slack', url: 'http://127.0.0.1:9/services/T/B/X', missing: [] }, sampleNotice());
    expect(request).toMatchObject({ url: 'http://127.0.0.1:9/services/T/B/X', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(request.body)).toEqual(slackMessage(sampleNotice()));
  });
});
