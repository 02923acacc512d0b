import type { IDataObject } from 'n8n-workflow';

/**
 * XML of the RocketMQ HTTP protocol (docs/mq-http-protocol.md#xml), without a dependency.
 *
 * Writing: every text value is entity-escaped, never wrapped in raw CDATA: Alibaba's Node SDK
 * wraps values in `<![CDATA[…]]>` unescaped, so a body containing `]]>` breaks its XML. A CR is
 * written as `&#13;`, the only form a conforming parser does not turn into LF.
 *
 * Reading: a small strict parser for the element shapes the protocol answers (an optional XML
 * declaration, elements with attributes, text, entities, CDATA, comments). Anything else, a
 * DOCTYPE included, is refused rather than guessed at.
 */

export const MQ_XML_NAMESPACE = 'http://mq.aliyuncs.com/doc/v1/';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * The first character XML 1.0 cannot carry (C0 controls other than tab, LF and CR; U+FFFE,
 * U+FFFF; unpaired surrogates), as its index; -1 when the text is clean.
 */
export function indexOfXmlIllegalCharacter(text: string): number {
	for (let index = 0; index < text.length; index++) {
		const unit = text.charCodeAt(index);
		if (unit >= 0xd800 && unit <= 0xdbff) {
			const next = text.charCodeAt(index + 1);
			if (next >= 0xdc00 && next <= 0xdfff) {
				index++;
				continue;
			}
			return index;
		}
		if (unit >= 0xdc00 && unit <= 0xdfff) return index;
		if (unit < 0x20 && unit !== 0x09 && unit !== 0x0a && unit !== 0x0d) return index;
		if (unit === 0xfffe || unit === 0xffff) return index;
	}
	return -1;
}

/** Text as element content: `&`, `<`, `>` as entities, CR as `&#13;`. */
export function escapeXmlText(text: string): string {
	return text.replace(/[&<>\r]/g, (character) => {
		if (character === '&') return '&amp;';
		if (character === '<') return '&lt;';
		if (character === '>') return '&gt;';
		return '&#13;';
	});
}

/**
 * A protocol document: `<Root xmlns="…">` with one text element per entry, in the order given,
 * entries whose value is undefined left out. The caller has checked the text for illegal
 * characters (the operation names the field); here they are refused as a last guard.
 */
export function writeMqXml(
	root: string,
	elements: Array<[name: string, value: string | undefined]>,
): string {
	let xml = `${DECLARATION}<${root} xmlns="${MQ_XML_NAMESPACE}">`;
	for (const [name, value] of elements) {
		if (value === undefined) continue;
		if (indexOfXmlIllegalCharacter(value) !== -1) {
			throw new Error(`The ${name} contains a character XML 1.0 cannot carry`);
		}
		xml += `<${name}>${escapeXmlText(value)}</${name}>`;
	}
	return `${xml}</${root}>`;
}

export interface XmlElement {
	name: string;
	attributes: Record<string, string>;
	children: XmlElement[];
	/** The element's own text (entities resolved, CDATA included), without its children's. */
	text: string;
}

export class XmlError extends Error {}

const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
	return text.replace(/&([^;&\s]*);?/g, (whole, body: string) => {
		if (!whole.endsWith(';')) throw new XmlError(`Unterminated entity "${whole}"`);
		if (ENTITIES[body] !== undefined) return ENTITIES[body];
		const code = /^#x[0-9A-Fa-f]+$/.test(body)
			? parseInt(body.slice(2), 16)
			: /^#[0-9]+$/.test(body)
				? parseInt(body.slice(1), 10)
				: NaN;
		if (!Number.isInteger(code) || code > 0x10ffff) throw new XmlError(`Unknown entity "${whole}"`);
		return String.fromCodePoint(code);
	});
}

/** Parses one XML document into its root element; throws XmlError when it is not well-formed. */
export function parseXml(input: string): XmlElement {
	let at = 0;
	const rest = () => input.slice(at);
	const skipSpace = () => {
		while (at < input.length && /\s/.test(input[at])) at++;
	};
	const skipMisc = () => {
		for (;;) {
			skipSpace();
			if (input.startsWith('<!--', at)) {
				const end = input.indexOf('-->', at + 4);
				if (end === -1) throw new XmlError('Unterminated comment');
				at = end + 3;
			} else return;
		}
	};

	const readElement = (): XmlElement => {
		if (input[at] !== '<') throw new XmlError(`Expected an element at offset ${at}`);
		at++;
		const name = NAME.exec(rest())?.[0];
		if (!name) throw new XmlError(`Expected an element name at offset ${at}`);
		at += name.length;
		const element: XmlElement = { name, attributes: {}, children: [], text: '' };
		for (;;) {
			skipSpace();
			if (input.startsWith('/>', at)) {
				at += 2;
				return element;
			}
			if (input[at] === '>') {
				at++;
				break;
			}
			const attribute = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(rest());
			if (!attribute) throw new XmlError(`Malformed attribute in <${name}>`);
			element.attributes[attribute[1]] = decodeEntities(attribute[3] ?? attribute[4]);
			at += attribute[0].length;
		}
		for (;;) {
			if (at >= input.length) throw new XmlError(`Element <${name}> is not closed`);
			if (input.startsWith('</', at)) {
				const close = new RegExp(`^</${name.replace(/[.]/g, '\\.')}\\s*>`).exec(rest());
				if (!close) throw new XmlError(`Mismatched closing tag for <${name}>`);
				at += close[0].length;
				return element;
			}
			if (input.startsWith('<![CDATA[', at)) {
				const end = input.indexOf(']]>', at + 9);
				if (end === -1) throw new XmlError('Unterminated CDATA section');
				element.text += input.slice(at + 9, end);
				at = end + 3;
			} else if (input.startsWith('<!--', at)) {
				skipMisc();
			} else if (input[at] === '<') {
				if (input.startsWith('<!', at) || input.startsWith('<?', at)) {
					throw new XmlError('Declarations and processing instructions are not accepted');
				}
				element.children.push(readElement());
			} else {
				const end = input.indexOf('<', at);
				const raw = input.slice(at, end === -1 ? input.length : end);
				if (raw.includes(']]>')) throw new XmlError('"]]>" in text');
				element.text += decodeEntities(raw);
				at += raw.length;
			}
		}
	};

	if (input.charCodeAt(0) === 0xfeff) at = 1;
	if (input.startsWith('<?xml', at)) {
		const end = input.indexOf('?>', at);
		if (end === -1) throw new XmlError('Unterminated XML declaration');
		at = end + 2;
	}
	skipMisc();
	if (input.startsWith('<!', at)) throw new XmlError('A DOCTYPE is not accepted');
	const root = readElement();
	skipMisc();
	if (at !== input.length) throw new XmlError('Content after the root element');
	return root;
}

/** The text of the first child called `name`; undefined when there is none. */
export function childText(element: XmlElement, name: string): string | undefined {
	return element.children.find((child) => child.name === name)?.text;
}

/** The children called `name`, e.g. every `<Message>` of `<Messages>`. */
export function childElements(element: XmlElement, name: string): XmlElement[] {
	return element.children.filter((child) => child.name === name);
}

/** An element without children as `{ Name: text }` per child: the flat shapes of the protocol. */
export function xmlFields(element: XmlElement): IDataObject {
	const fields: IDataObject = {};
	for (const child of element.children) {
		if (child.children.length === 0 && !(child.name in fields)) fields[child.name] = child.text;
	}
	return fields;
}
