import {
	cleanServerText,
	encodedForms,
	MAX_SERVER_TEXT_LENGTH,
	redactSecrets,
	truncateServerText,
} from '../../nodes/ApsaraMq/transport/serverText';

const SECRET = 'testSecret+/=key with space"quote';
const TOKEN = 'CAIS+token/abc==';

describe('server text on its way to an error or a log', () => {
	it.each([
		['as it is', SECRET],
		['percent-encoded (RFC 3986)', encodeURIComponent(SECRET).replace(/'/g, '%27')],
		['encodeURIComponent', encodeURIComponent(SECRET)],
		['form-encoded', encodeURIComponent(SECRET).replace(/%20/g, '+')],
		['Base64', Buffer.from(SECRET).toString('base64')],
		['Base64 without padding', Buffer.from(SECRET).toString('base64').replace(/=+$/, '')],
		['Base64url', Buffer.from(SECRET).toString('base64url')],
		['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
	])('redacts the secret %s', (_form, echoed) => {
		const text = `Bad request: got ${echoed} and ${echoed}.`;
		const clean = redactSecrets(text, [SECRET, TOKEN]);
		expect(clean).toBe('Bad request: got [redacted] and [redacted].');
	});

	it('redacts the token too, and leaves text without a secret alone', () => {
		expect(redactSecrets(`token=${encodeURIComponent(TOKEN)}`, [SECRET, TOKEN])).toBe('token=[redacted]');
		expect(redactSecrets('nothing here', [SECRET, TOKEN])).toBe('nothing here');
	});

	it('ignores values too short to be a secret, so that messages stay readable', () => {
		expect(redactSecrets('a b c', ['a', ''])).toBe('a b c');
		expect(encodedForms('abc')).toEqual([]);
	});

	it('truncates with a marker that says how much was cut, and never splits an emoji', () => {
		const tenMegabytes = 'x'.repeat(10 * 1024 * 1024);
		const cut = truncateServerText(tenMegabytes);
		expect(cut.length).toBeLessThan(MAX_SERVER_TEXT_LENGTH + 50);
		expect(cut).toMatch(/… \[10483760 more characters cut\]$/);
		const emoji = truncateServerText(`${'x'.repeat(9)}😀`, 10);
		expect(emoji).toBe(`${'x'.repeat(9)}… [2 more characters cut]`);
		expect(truncateServerText('short')).toBe('short');
	});

	it('cuts the echoed string to sign, redacts, then truncates', () => {
		const echo = `Specified signature is not matched. server string to sign is:POST&%2F&AccessKeyId%3D${SECRET}`;
		expect(cleanServerText(echo, [SECRET])).toBe('Specified signature is not matched. [server string to sign redacted]');
		expect(cleanServerText(`${SECRET}${'y'.repeat(5000)}`, [SECRET])).toMatch(/^\[redacted\]y+… \[\d+ more characters cut\]$/);
	});

	it('is linear on 256 KB of pathological text (runs of spaces after "server", near-misses of the secret)', () => {
		const spaces = `server${' '.repeat(256 * 1024)}string`;
		expect(cleanServerText(spaces, [SECRET])).toMatch(/more characters cut/);
		const nearMisses = SECRET.slice(0, -1).repeat(8000);
		expect(cleanServerText(nearMisses, [SECRET])).not.toContain('[redacted]');
	});
});
