/**
 * The XML of the RocketMQ HTTP protocol (docs/mq-http-server.md#xml-bodies): a strict reader for
 * the two request bodies (a root holding leaf elements: `<Message>`, `<ReceiptHandles>`) and a
 * writer that escapes text. The reader behaves like a conforming XML 1.0 parser where it matters
 * to clients: CDATA and entity-escaped text both work, line ends are normalized to LF (so only
 * `&#13;` carries a CR), and anything not well formed is refused.
 */
import { mqErrors } from './errors';

export const MQ_XMLNS = 'http://mq.aliyuncs.com/doc/v1/';

export interface LeafElement {
	name: string;
	text: string;
}

export interface XmlDocument {
	root: string;
	children: LeafElement[];
}

// XML 1.0 `Char`: TAB, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF.
const ILLEGAL_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NAME = /^[A-Za-z_][\w.-]*/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isLegalCodePoint(cp: number): boolean {
	return !ILLEGAL_CHAR.test(String.fromCodePoint(cp));
}

/** Reads `<Root …><Leaf>text</Leaf>…</Root>`; throws MalformedXML for anything else. */
export function readLeafDocument(body: Buffer): XmlDocument {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(body);
	} catch {
		throw mqErrors.malformedXml('the body is not valid UTF-8');
	}
	text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
	if (ILLEGAL_CHAR.test(text)) throw mqErrors.malformedXml('a character XML 1.0 does not allow');
	const reader = new Reader(text);
	reader.skipProlog();
	const root = reader.openTag();
	const children: LeafElement[] = [];
	if (root.endsWith('/')) {
		reader.skipMisc();
		if (!reader.done()) throw mqErrors.malformedXml('content after the root element');
		return { root: root.slice(0, -1), children };
	}
	for (;;) {
		reader.skipMisc();
		if (reader.peek(`</`)) break;
		const name = reader.openTag();
		children.push({ name, text: name.endsWith('/') ? '' : reader.textUntilClose(name) });
	}
	reader.closeTag(root);
	reader.skipMisc();
	if (!reader.done()) throw mqErrors.malformedXml('content after the root element');
	return { root, children: children.map((c) => ({ ...c, name: c.name.replace(/\/$/, '') })) };
}

class Reader {
	private pos = 0;

	constructor(private readonly s: string) {}

	done(): boolean {
		return this.pos >= this.s.length;
	}

	peek(token: string): boolean {
		return this.s.startsWith(token, this.pos);
	}

	private fail(what: string): never {
		throw mqErrors.malformedXml(`${what} at offset ${this.pos}`);
	}

	private skipSpace(): void {
		while (this.pos < this.s.length && ' \t\n'.includes(this.s[this.pos])) this.pos++;
	}

	skipProlog(): void {
		if (this.peek('<?xml')) {
			const end = this.s.indexOf('?>', this.pos);
			if (end === -1) this.fail('an unterminated XML declaration');
			this.pos = end + 2;
		}
		this.skipMisc();
	}

	/** Whitespace and comments between elements. */
	skipMisc(): void {
		for (;;) {
			this.skipSpace();
			if (!this.peek('<!--')) return;
			const end = this.s.indexOf('-->', this.pos + 4);
			if (end === -1) this.fail('an unterminated comment');
			this.pos = end + 3;
		}
	}

	/** `<Name attr="…">` → `Name`; `<Name/>` → `Name/`. Attributes (xmlns) are checked, then ignored. */
	openTag(): string {
		if (!this.peek('<') || this.peek('</')) this.fail('an expected start tag');
		this.pos++;
		const name = NAME.exec(this.s.slice(this.pos, this.pos + 256))?.[0];
		if (!name) this.fail('an invalid element name');
		this.pos += name.length;
		for (;;) {
			this.skipSpace();
			if (this.peek('/>')) {
				this.pos += 2;
				return `${name}/`;
			}
			if (this.peek('>')) {
				this.pos++;
				return name;
			}
			const attr = /^([A-Za-z_][\w.:-]*)\s*=\s*("[^"<]*"|'[^'<]*')/.exec(
				this.s.slice(this.pos, this.pos + 4096),
			);
			if (!attr) this.fail('an invalid attribute');
			this.pos += attr[0].length;
		}
	}

	closeTag(name: string): void {
		const tag = `</${name}`;
		if (!this.peek(tag)) this.fail(`a missing </${name}>`);
		this.pos += tag.length;
		this.skipSpace();
		if (!this.peek('>')) this.fail(`a malformed </${name}>`);
		this.pos++;
	}

	/** Character data (text with references, CDATA sections) up to `</name>`; no child element. */
	textUntilClose(name: string): string {
		let out = '';
		for (;;) {
			if (this.done()) this.fail(`a missing </${name}>`);
			if (this.peek('<![CDATA[')) {
				const end = this.s.indexOf(']]>', this.pos + 9);
				if (end === -1) this.fail('an unterminated CDATA section');
				out += this.s.slice(this.pos + 9, end);
				this.pos = end + 3;
			} else if (this.peek('</')) {
				this.closeTag(name);
				return out;
			} else if (this.peek('<')) {
				this.fail(`an element inside <${name}>`);
			} else if (this.peek('&')) {
				out += this.reference();
			} else {
				const next = this.s.slice(this.pos).search(/[<&]/);
				const end = next === -1 ? this.s.length : this.pos + next;
				const chunk = this.s.slice(this.pos, end);
				if (chunk.includes(']]>')) this.fail('"]]>" outside a CDATA section');
				out += chunk;
				this.pos = end;
			}
		}
	}

	private reference(): string {
		const match = /^&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);/.exec(
			this.s.slice(this.pos, this.pos + 16),
		);
		if (!match) this.fail('an invalid reference');
		this.pos += match[0].length;
		const ref = match[1];
		if (ref.startsWith('#')) {
			const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
			if (cp > 0x10ffff || !isLegalCodePoint(cp))
				this.fail('a reference to a character XML 1.0 does not allow');
			return String.fromCodePoint(cp);
		}
		const value = ENTITIES[ref];
		if (value === undefined) this.fail(`the unknown entity &${ref};`);
		return value;
	}
}

/** Escapes text for an element: `& < >`, and CR as `&#13;` so that it survives a parser's line-end rule. */
export function escapeText(text: string): string {
	return text
		.replace(new RegExp(ILLEGAL_CHAR.source, 'gu'), '\uFFFD')
		.replace(/[&<>\r]/g, (c) =>
			c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;',
		);
}

export type XmlValue = string | number | XmlValue[] | { [name: string]: XmlValue };

function element(name: string, value: XmlValue): string {
	if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
	if (typeof value === 'object') {
		const inner = Object.entries(value)
			.map(([k, v]) => element(k, v))
			.join('');
		return `<${name}>${inner}</${name}>`;
	}
	return `<${name}>${escapeText(String(value))}</${name}>`;
}

/** `<?xml …?><Root xmlns="http://mq.aliyuncs.com/doc/v1/">…</Root>` */
export function writeDocument(root: string, body: Record<string, XmlValue>): string {
	const inner = Object.entries(body)
		.map(([k, v]) => element(k, v))
		.join('');
	return `<?xml version="1.0" encoding="UTF-8"?><${root} xmlns="${MQ_XMLNS}">${inner}</${root}>`;
}
