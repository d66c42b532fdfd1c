/**
 * A small, strict XML reader for the ClickHouse and Keeper configuration files under deploy/, so their tests can
 * check structure without an XML dependency. It covers what those files use — a declaration, comments, elements,
 * attributes, text, CDATA and the five predefined entities — and throws, naming the line, on anything not
 * well-formed (a mismatched or unclosed tag, a repeated attribute, a second root, text outside the root).
 * No DTDs, no namespaces: ClickHouse's configuration files have neither.
 */

export type XmlElement = { name: string; attributes: Record<string, string>; children: XmlElement[]; text: string; line: number };

const NAME = /^[A-Za-z_][\w.-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export class XmlError extends Error {
  constructor(message: string, line: number) {
    super(`line ${line}: ${message}`);
    this.name = 'XmlError';
  }
}

/** Parse a whole document; returns its one root element. */
export function parseXml(source: string): XmlElement {
  let pos = 0;
  const lineAt = (at: number) => source.slice(0, at).split('\n').length;
  const fail = (message: string, at = pos): never => {
    throw new XmlError(message, lineAt(at));
  };
  const startsWith = (s: string) => source.startsWith(s, pos);
  const skipUntil = (end: string, what: string) => {
    const at = source.indexOf(end, pos);
    if (at < 0) fail(`unterminated ${what}`);
    const body = source.slice(pos, at);
    pos = at + end.length;
    return body;
  };
  const skipMisc = () => {
    for (;;) {
      while (pos < source.length && /\s/.test(source[pos] ?? '')) pos++;
      if (startsWith('<!--')) {
        pos += 4;
        if (skipUntil('-->', 'comment').includes('--')) fail('"--" inside a comment');
      } else if (startsWith('<?')) {
        pos += 2;
        skipUntil('?>', 'processing instruction');
      } else return;
    }
  };
  const decode = (raw: string, at: number) =>
    raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);|&/g, (match, ref: string | undefined) => {
      if (ref === undefined) return fail('a bare "&" (write &amp;)', at);
      if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
      if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
      return ENTITIES[ref] ?? fail(`unknown entity &${ref};`, at);
    });
  const readName = () => {
    const name = NAME.exec(source.slice(pos))?.[0] ?? fail('expected a name');
    pos += name.length;
    return name;
  };

  const readElement = (): XmlElement => {
    const line = lineAt(pos);
    pos++; // '<'
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      const spaced = /^\s+/.exec(source.slice(pos))?.[0].length ?? 0;
      pos += spaced;
      if (startsWith('/>')) {
        pos += 2;
        return { name, attributes, children: [], text: '', line };
      }
      if (startsWith('>')) {
        pos++;
        break;
      }
      if (spaced === 0) fail(`expected whitespace, ">" or "/>" in <${name}>`);
      const attribute = readName();
      if (attribute in attributes) fail(`attribute "${attribute}" repeated in <${name}>`);
      const eq = /^\s*=\s*(["'])/.exec(source.slice(pos)) ?? fail(`attribute "${attribute}" of <${name}> needs ="value"`);
      pos += eq[0].length;
      const at = pos;
      const value = skipUntil(eq[1] ?? '"', `value of attribute "${attribute}"`);
      if (value.includes('<')) fail(`"<" in the value of attribute "${attribute}"`, at);
      attributes[attribute] = decode(value, at);
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (pos >= source.length) fail(`<${name}> (line ${line}) is never closed`);
      if (startsWith('</')) {
        pos += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}> opened on line ${line}`);
        if (!/^\s*>/.test(source.slice(pos))) fail(`expected ">" after </${closing}`);
        pos = source.indexOf('>', pos) + 1;
        return { name, attributes, children, text: text.trim(), line };
      }
      if (startsWith('<!--')) {
        pos += 4;
        if (skipUntil('-->', 'comment').includes('--')) fail('"--" inside a comment');
      } else if (startsWith('<![CDATA[')) {
        pos += 9;
        text += skipUntil(']]>', 'CDATA section');
      } else if (startsWith('<?')) {
        pos += 2;
        skipUntil('?>', 'processing instruction');
      } else if (startsWith('<')) {
        children.push(readElement());
      } else {
        const at = pos;
        const next = source.indexOf('<', pos);
        const raw = source.slice(pos, next < 0 ? source.length : next);
        pos += raw.length;
        text += decode(raw, at);
      }
    }
  };

  skipMisc();
  if (!startsWith('<') || startsWith('</')) fail('expected the root element');
  const root = readElement();
  skipMisc();
  if (pos < source.length) fail(startsWith('<') ? 'a second root element' : 'text after the root element');
  return root;
}

/** The child elements named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** The one child element at `path` (names separated by "/"); throws naming the path when it is missing or repeated. */
export function child(element: XmlElement, path: string): XmlElement {
  let node = element;
  for (const name of path.split('/')) {
    const found = childrenNamed(node, name);
    if (found.length !== 1) throw new Error(`<${node.name}> (line ${node.line}) has ${found.length} <${name}> elements, expected one`);
    node = found[0] as XmlElement;
  }
  return node;
}

/** The text of the one child element at `path`. */
export function textOf(element: XmlElement, path: string): string {
  return child(element, path).text;
}
