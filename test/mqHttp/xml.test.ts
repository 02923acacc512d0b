import fc from 'fast-check';

import {
	childText,
	escapeXmlText,
	indexOfXmlIllegalCharacter,
	parseXml,
	writeMqXml,
} from '../../nodes/ApsaraMq/transport/mqHttp/xml';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const xml2js = require('xml2js') as {
	parseStringPromise(xml: string): Promise<{ Message: { MessageBody: string[] } }>;
};

/** The protocol's XML: written escaped, read strictly, checked against xml2js (Alibaba's SDK's parser). */

const legalText = fc
	.string({ unit: 'grapheme', maxLength: 60 })
	.map((text) => text + ']]>&<>\r\n"\'')
	.filter((text) => indexOfXmlIllegalCharacter(text) === -1);

it('any legal text round-trips through our writer and reader, and through xml2js', async () => {
	await fc.assert(
		fc.asyncProperty(legalText, async (text) => {
			const xml = writeMqXml('Message', [['MessageBody', text]]);
			expect(childText(parseXml(xml), 'MessageBody')).toBe(text);
			const parsed = await xml2js.parseStringPromise(xml);
			expect(parsed.Message.MessageBody[0]).toBe(text);
		}),
		{ numRuns: 1000 },
	);
});

it('writes a body containing ]]> as text, never as raw CDATA, and a CR as &#13;', () => {
	expect(writeMqXml('Message', [['MessageBody', 'a]]>b<c>&\r'], ['MessageTag', undefined]])).toBe(
		'<?xml version="1.0" encoding="UTF-8"?><Message xmlns="http://mq.aliyuncs.com/doc/v1/"><MessageBody>a]]&gt;b&lt;c&gt;&amp;&#13;</MessageBody></Message>',
	);
	expect(escapeXmlText('plain')).toBe('plain');
});

it.each([
	['NUL', 'a\u0000b', 1],
	['vertical tab', '\u000b', 0],
	['U+FFFE', 'x\ufffe', 1],
	['lone high surrogate', 'x\ud83d', 1],
	['lone low surrogate', '\ude00', 0],
])('finds the %s XML 1.0 cannot carry', (_name, text, index) => {
	expect(indexOfXmlIllegalCharacter(text)).toBe(index);
	expect(() => writeMqXml('Message', [['MessageBody', text]])).toThrow('XML 1.0');
});

it('accepts tab, LF, CR and emoji', () => {
	expect(indexOfXmlIllegalCharacter('\t\n\r😀中')).toBe(-1);
});

it('reads the shapes the protocol answers: declaration, namespace, CDATA, entities', () => {
	const root = parseXml(
		'<?xml version="1.0" encoding="UTF-8"?>\n<Message xmlns="http://mq.aliyuncs.com/doc/v1/"><MessageId>1E05</MessageId><MessageBodyMD5><![CDATA[0CC1]]></MessageBodyMD5><Note>a&amp;b&#13;&#x1F600;</Note><Empty/></Message>',
	);
	expect(root.name).toBe('Message');
	expect(root.attributes.xmlns).toBe('http://mq.aliyuncs.com/doc/v1/');
	expect(childText(root, 'MessageId')).toBe('1E05');
	expect(childText(root, 'MessageBodyMD5')).toBe('0CC1');
	expect(childText(root, 'Note')).toBe('a&b\r😀');
	expect(childText(root, 'Empty')).toBe('');
});

it.each([
	['a mismatched tag', '<a><b></a></b>'],
	['an unclosed element', '<a><b>x</b>'],
	['content after the root', '<a/><b/>'],
	['a DOCTYPE', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
	['an unknown entity', '<a>&nbsp;</a>'],
	['a bare ampersand', '<a>a & b</a>'],
	[']]> in text', '<a>x]]>y</a>'],
	['no element', 'Bad Gateway'],
])('refuses %s', (_name, xml) => {
	expect(() => parseXml(xml)).toThrow();
});
