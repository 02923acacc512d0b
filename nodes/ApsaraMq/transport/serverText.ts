import { trimTrailing } from '../validation/text';
import { percentEncode } from './signing/percentEncode';

/**
 * The one gate for text that comes from a server (an error `Message`, a `Code`, a request ID, an
 * XML answer) on its way to an error, an output item or a log (docs/errors.md#redaction). It cuts
 * off Alibaba's echoed string to sign, replaces every known secret value in any of its encoded
 * forms, and truncates with a marker, so a hostile or broken endpoint can neither leak the secret
 * through the node nor fill the execution data with megabytes of text.
 */

/** Longest server text kept; the rest is replaced by a marker that says how much was cut. */
export const MAX_SERVER_TEXT_LENGTH = 2000;

export const REDACTED_SECRET = '[redacted]';
const REDACTED_STRING_TO_SIGN = '[server string to sign redacted]';

/** Values shorter than this are not secrets Alibaba issues (secrets have 30 characters) and are left alone. */
const MIN_SECRET_LENGTH = 6;

/**
 * Alibaba echoes its whole string to sign in SignatureDoesNotMatch / IncompleteSignature messages
 * (V2: every parameter, the AccessKey ID, the STS token and the MQTT payload). Cut it off.
 * The pattern is literal words with runs of spaces between them: linear in the text.
 */
export function redactServerStringToSign(message: string): string {
	const at = message.search(/server\s*string\s*to\s*sign\s*is|server\s*StringToSign\s*is/i);
	return at === -1 ? message : `${message.slice(0, at).trimEnd()} ${REDACTED_STRING_TO_SIGN}`;
}

/**
 * The forms in which a secret can come back inside server text: as it is, percent-encoded (strict
 * and `encodeURIComponent`), form-encoded, Base64 (standard and URL-safe, with or without
 * padding) and JSON-escaped.
 */
export function encodedForms(secret: string): string[] {
	const base64 = Buffer.from(secret, 'utf8').toString('base64');
	const forms = [
		secret,
		percentEncodeOrSelf(secret),
		encodeURIComponentOrSelf(secret),
		encodeURIComponentOrSelf(secret).replace(/%20/g, '+'),
		base64,
		trimTrailing(base64, '='),
		trimTrailing(base64.replace(/\+/g, '-').replace(/\//g, '_'), '='),
		JSON.stringify(secret).slice(1, -1),
	];
	// Longest first, so that a form containing another is replaced whole.
	return [...new Set(forms)].filter((form) => form.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

function percentEncodeOrSelf(value: string): string {
	try {
		return percentEncode(value);
	} catch {
		return value;
	}
}

function encodeURIComponentOrSelf(value: string): string {
	try {
		return encodeURIComponent(value);
	} catch {
		return value;
	}
}

/** Replaces every occurrence of every form of every secret (split and join: linear, no pattern). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) {
		if (secret.length < MIN_SECRET_LENGTH) continue;
		for (const form of encodedForms(secret)) {
			if (result.includes(form)) result = result.split(form).join(REDACTED_SECRET);
		}
	}
	return result;
}

/** At most MAX_SERVER_TEXT_LENGTH characters, never cutting a surrogate pair in two. */
export function truncateServerText(text: string, max = MAX_SERVER_TEXT_LENGTH): string {
	if (text.length <= max) return text;
	let end = max;
	const last = text.charCodeAt(end - 1);
	if (last >= 0xd800 && last <= 0xdbff) end--;
	return `${text.slice(0, end)}… [${text.length - end} more characters cut]`;
}

/** Server text made safe to show: string to sign cut off, secrets redacted, then truncated. */
export function cleanServerText(text: string, secrets: readonly string[] = []): string {
	return truncateServerText(redactSecrets(redactServerStringToSign(text), secrets));
}
