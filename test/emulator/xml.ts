/**
 * Minimal XML rendering for V2 requests without `Format=JSON` (the gateway's default format is
 * XML, docs/signing.md#request-basics). Arrays repeat their element name, as POP's XML does.
 */

function escapeXml(text: string): string {
	return text.replace(/[<>&'"]/g, (c) =>
		c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === "'" ? '&apos;' : '&quot;',
	);
}

function element(name: string, value: unknown): string {
	if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
	if (value !== null && typeof value === 'object') {
		const inner = Object.entries(value as Record<string, unknown>)
			.map(([k, v]) => element(k, v))
			.join('');
		return `<${name}>${inner}</${name}>`;
	}
	return `<${name}>${escapeXml(value === null || value === undefined ? '' : String(value))}</${name}>`;
}

export function toXml(root: string, body: object): string {
	return `<?xml version='1.0' encoding='UTF-8'?>${element(root, body)}`;
}
