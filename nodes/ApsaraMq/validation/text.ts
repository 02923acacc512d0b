import { hasLoneSurrogate } from '../transport/signing/percentEncode';

/**
 * Checks of text that a user typed or an expression produced, shared by every field of every
 * operation (docs/errors.md#input-checks). Each check returns the problem, worded to follow the
 * field's label (`"MQTT Topic" contains a line break`), or undefined. Every check is one pass
 * (a loop or a single character class), so the time is linear in the text whatever it holds.
 */

/** Characters that show as nothing: zero-width spaces and joiners, the BOM, bidi controls. */
const INVISIBLE_CHARACTER = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const WHITESPACE = /\s/;

/** Half of a surrogate pair (often an emoji cut in two) has no UTF-8 form and cannot be signed. */
export function loneSurrogateProblem(value: string): string | undefined {
	return hasLoneSurrogate(value)
		? 'contains half of a character (an unpaired UTF-16 surrogate, often a cut emoji), which cannot be sent'
		: undefined;
}

/** C0 controls (NUL, CR, LF, tab, …), DEL and the C1 controls. */
function isControlCharacter(code: number): boolean {
	return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

export function controlCharacterProblem(value: string): string | undefined {
	for (let i = 0; i < value.length; i++) {
		if (isControlCharacter(value.charCodeAt(i))) {
			return `contains the control character ${codePoint(value[i])} (a line break, tab, NUL, …)`;
		}
	}
	return undefined;
}

export function invisibleCharacterProblem(value: string): string | undefined {
	const found = INVISIBLE_CHARACTER.exec(value);
	return found ? `contains the invisible character ${codePoint(found[0])} (a zero-width space or similar)` : undefined;
}

export function whitespaceProblem(value: string): string | undefined {
	return WHITESPACE.test(value) ? 'must not contain spaces or line breaks' : undefined;
}

export function lengthProblem(value: string, max: number, unit = 'characters'): string | undefined {
	return value.length > max ? `is ${value.length} ${unit} long, over the limit of ${max}` : undefined;
}

/** `U+200B`: how a character that cannot be shown is named in an error. */
function codePoint(character: string): string {
	return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What a field allows besides the checks every field gets (no unpaired surrogate). */
export interface TextRules {
	/** At most this many UTF-16 units. */
	maxLength?: number;
	/** Refuse control characters (identifiers and names; not message bodies). */
	noControlCharacters?: boolean;
	/** Refuse zero-width and other invisible characters. */
	noInvisibleCharacters?: boolean;
	/** Refuse any whitespace inside (identifiers). */
	noWhitespace?: boolean;
}

/** The first problem of `value` under `rules`, or undefined when it passes. */
export function textProblem(value: string, rules: TextRules): string | undefined {
	return (
		loneSurrogateProblem(value) ??
		(rules.maxLength === undefined ? undefined : lengthProblem(value, rules.maxLength)) ??
		(rules.noWhitespace ? whitespaceProblem(value) : undefined) ??
		(rules.noControlCharacters ? controlCharacterProblem(value) : undefined) ??
		(rules.noInvisibleCharacters ? invisibleCharacterProblem(value) : undefined)
	);
}

/**
 * Trimming rule of identifiers and topics: spaces, tabs and line breaks around a value pasted from
 * the console are removed (as the credential does with its fields); inside the value they are
 * refused. Message bodies are never trimmed.
 */
export function trimmed(value: string): string {
	return value.trim();
}

/**
 * `text` without the run of `character` at its end. A loop rather than `/c+$/`: that pattern
 * retries from every position of a long run and takes quadratic time (seconds on 64 KB of dots).
 */
export function trimTrailing(text: string, character: string): string {
	let end = text.length;
	while (end > 0 && text[end - 1] === character) end--;
	return text.slice(0, end);
}
