/**
 * JSON payloads (docs/endpoints.md#sendmessage): text is sent with every number and string exactly
 * as written, and a value from an expression is serialized only when it is plain JSON.
 */

/**
 * JSON text without the whitespace between tokens, everything else exactly as written: a parse
 * and a stringify would turn 12345678901234567890 into 12345678901234567000 and 1e400 into null.
 * JSON.parse only checks the text (it needs no stack, so any depth passes); one pass over the
 * characters then drops the spaces outside strings. Throws JSON.parse's SyntaxError on bad text.
 */
export function compactJsonText(text: string): string {
	JSON.parse(text);
	const kept: string[] = [];
	let start = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const character = text[i];
		if (inString) {
			if (character === '\\') i++;
			else if (character === '"') inString = false;
		} else if (character === '"') {
			inString = true;
		} else if (character === ' ' || character === '\n' || character === '\r' || character === '\t') {
			if (i > start) kept.push(text.slice(start, i));
			start = i + 1;
		}
	}
	if (text.length > start) kept.push(text.slice(start));
	return kept.join('');
}

/**
 * A value from an expression as compact JSON. Refuses, with the reason, what JSON cannot hold
 * faithfully instead of letting JSON.stringify change it silently (NaN and Infinity would become
 * null, a circular value would throw a TypeError naming no field). A BigInt becomes its digits as
 * text, by the toJSON that n8n-workflow gives BigInt.
 */
export function valueToJson(value: unknown): string {
	const text = JSON.stringify(value, (_key, inner: unknown) => {
		if (typeof inner === 'number' && !Number.isFinite(inner)) {
			throw new TypeError(`holds the number ${String(inner)}, which JSON cannot represent`);
		}
		return inner;
	}) as string | undefined;
	if (text === undefined) throw new TypeError('is not a JSON value (a function or undefined)');
	return text;
}
