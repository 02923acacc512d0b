import { buildCanonicalHeaders, isSignedHeader } from '../../nodes/ApsaraMq/transport/signing';

/** Stage 3 (V3): canonical and signed headers (docs/signing.md#canonical-headers). */
describe('buildCanonicalHeaders', () => {
	it('is empty for no headers', () => {
		expect(buildCanonicalHeaders({})).toEqual({ canonicalHeaders: '', signedHeaders: '' });
	});

	it('keeps host, content-type and x-acs-* only, lower-cased and sorted', () => {
		expect(
			buildCanonicalHeaders({
				'X-Acs-Version': '2020-04-20',
				Host: 'onsmqtt.cn-hangzhou.aliyuncs.com',
				'Content-Type': 'application/x-www-form-urlencoded',
				Accept: 'application/json',
				'User-Agent': 'n8n',
				Authorization: 'ignored',
				'x-other': 'ignored',
				'x-acs-action': 'SendMessage',
			}),
		).toEqual({
			canonicalHeaders:
				'content-type:application/x-www-form-urlencoded\nhost:onsmqtt.cn-hangzhou.aliyuncs.com\nx-acs-action:SendMessage\nx-acs-version:2020-04-20\n',
			signedHeaders: 'content-type;host;x-acs-action;x-acs-version',
		});
	});

	it('trims values', () => {
		expect(buildCanonicalHeaders({ 'x-acs-a': '  v  ', 'x-acs-b': '\tw\n' }).canonicalHeaders).toBe(
			'x-acs-a:v\nx-acs-b:w\n',
		);
	});

	it('merges names repeated in different cases, values sorted and joined with ","', () => {
		expect(buildCanonicalHeaders({ 'x-acs-test': 'http', 'x-acs-TEST': 'https' })).toEqual({
			canonicalHeaders: 'x-acs-test:http,https\n',
			signedHeaders: 'x-acs-test',
		});
		expect(buildCanonicalHeaders({ 'X-ACS-TEST': 'b', 'x-acs-test': 'a' }).canonicalHeaders).toBe(
			'x-acs-test:a,b\n',
		);
	});

	it('merges array values the same way', () => {
		expect(buildCanonicalHeaders({ 'x-acs-m': ['z', ' y ', 'x'] }).canonicalHeaders).toBe(
			'x-acs-m:x,y,z\n',
		);
	});

	it('skips undefined values', () => {
		expect(buildCanonicalHeaders({ 'x-acs-a': undefined, host: 'h' })).toEqual({
			canonicalHeaders: 'host:h\n',
			signedHeaders: 'host',
		});
	});

	it('keeps an empty value as "name:"', () => {
		expect(buildCanonicalHeaders({ 'x-acs-empty': '   ' }).canonicalHeaders).toBe('x-acs-empty:\n');
	});
});

describe('isSignedHeader', () => {
	it.each([
		['host', true],
		['content-type', true],
		['x-acs-action', true],
		['x-acs-', true],
		['accept', false],
		['user-agent', false],
		['authorization', false],
		['content-length', false],
		['x-acsaction', false],
	])('%s → %s', (name, expected) => {
		expect(isSignedHeader(name)).toBe(expected);
	});
});
