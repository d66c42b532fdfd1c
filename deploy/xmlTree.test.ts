import { describe, expect, it } from 'vitest';
import { child, parseXml, textOf } from './xmlTree.js';

describe('parseXml', () => {
  it('reads elements, attributes, text, entities and CDATA, skipping the declaration and comments', () => {
    const root = parseXml(`<?xml version="1.0"?>
      <!-- a comment -->
      <clickhouse>
        <password from_env='PW'/>
        <name>a &amp; b &lt;c&gt; &#65;&#x42;</name>
        <raw><![CDATA[<not a tag>]]></raw>
      </clickhouse>
      <!-- trailing comment -->`);
    expect(root.name).toBe('clickhouse');
    expect(child(root, 'password').attributes).toEqual({ from_env: 'PW' });
    expect(textOf(root, 'name')).toBe('a & b <c> AB');
    expect(textOf(root, 'raw')).toBe('<not a tag>');
  });

  it.each([
    ['a mismatched closing tag', '<a><b></a></b>', /line 1: <\/a> closes <b>/],
    ['an unclosed element', '<a>\n<b>\n</a>', /closes <b> opened on line 2/],
    ['a root never closed', '<a>', /<a> \(line 1\) is never closed/],
    ['two roots', '<a/><b/>', /a second root element/],
    ['text after the root', '<a/> x', /text after the root element/],
    ['a repeated attribute', '<a x="1" x="2"/>', /attribute "x" repeated/],
    ['an attribute without quotes', '<a x=1/>', /needs ="value"/],
    ['a bare ampersand', '<a>fish & chips</a>', /bare "&"/],
    ['an unknown entity', '<a>&nbsp;</a>', /unknown entity &nbsp;/],
    ['an unterminated comment', '<a><!-- </a>', /unterminated comment/],
    ['no root', '<!-- only a comment -->', /expected the root element/],
  ])('refuses %s', (_what, source, message) => {
    expect(() => parseXml(source)).toThrow(message);
  });

  it('names the path when a child is missing or repeated', () => {
    const root = parseXml('<r><a/><a/></r>');
    expect(() => child(root, 'a')).toThrow(/has 2 <a> elements, expected one/);
    expect(() => child(root, 'b/c')).toThrow(/has 0 <b> elements/);
  });
});
