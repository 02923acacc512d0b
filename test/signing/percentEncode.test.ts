import { hasLoneSurrogate, percentEncode } from '../../nodes/ApsaraMq/transport/signing';

/** Stage 1: the strict RFC 3986 encoder (docs/signing.md#percent-encoding). */
describe('percentEncode', () => {
	it.each([
		// @alicloud/pop-core's own encoder cases
		["str'str", 'str%27str'],
		['str(str', 'str%28str'],
		['str)str', 'str%29str'],
		['str*str', 'str%2Astr'],
		// the rest of `!'()*`, which encodeURIComponent leaves alone
		['!', '%21'],
		// unreserved characters stay
		['AZaz09-_.~', 'AZaz09-_.~'],
		['~', '~'],
		// space is %20, never +
		['a b', 'a%20b'],
		['+', '%2B'],
		['/', '%2F'],
		['=', '%3D'],
		['&', '%26'],
		['?', '%3F'],
		['%', '%25'],
		['%3A', '%253A'],
		[':', '%3A'],
		['#', '%23'],
		['\n', '%0A'],
		['\r\n', '%0D%0A'],
		['\u007f', '%7F'],
		// UTF-8 with upper-case hex
		['é', '%C3%A9'],
		['ÿ', '%C3%BF'],
		['中', '%E4%B8%AD'],
		['中文', '%E4%B8%AD%E6%96%87'],
		['😀', '%F0%9F%98%80'],
		['👍🏽', '%F0%9F%91%8D%F0%9F%8F%BD'],
		['', ''],
		['{"a":[1,"b c"]}', '%7B%22a%22%3A%5B1%2C%22b%20c%22%5D%7D'],
	])('%j → %s', (input, expected) => {
		expect(percentEncode(input)).toBe(expected);
	});

	it('keeps exactly the RFC 3986 unreserved set among all 128 ASCII characters', () => {
		for (let code = 0; code < 128; code++) {
			const character = String.fromCharCode(code);
			const unreserved = /[A-Za-z0-9\-_.~]/.test(character);
			const expected = unreserved
				? character
				: `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
			expect(percentEncode(character)).toBe(expected);
		}
	});

	it('never writes lower-case hex', () => {
		const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
		expect(percentEncode(all)).not.toMatch(/%[0-9A-F]?[a-f]/);
	});

	it('encodes the UTF-8 bytes of the string', () => {
		const text = "héllo wörld ~*'()!+/=?&中文 😀";
		const bytes = [...Buffer.from(text, 'utf8')]
			.map((byte) => {
				const c = String.fromCharCode(byte);
				return /[A-Za-z0-9\-_.~]/.test(c)
					? c
					: `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
			})
			.join('');
		expect(percentEncode(text)).toBe(bytes);
	});

	it('throws on a lone surrogate, which has no UTF-8 form', () => {
		expect(() => percentEncode('\uD83D')).toThrow(URIError);
		expect(() => percentEncode('(\uD83D)')).toThrow(URIError);
	});

	it('gives the same bytes whether or not the value holds one of !\'()* (two code paths)', () => {
		const sample = 'a b~中😀\n%+/=?&"{}[]é\u0000\u007f\uFFFF';
		for (const reserved of ['!', "'", '(', ')', '*']) {
			const plain = percentEncode(sample);
			const withReserved = percentEncode(`${sample}${reserved}${sample}`);
			const reservedEncoded = `%${reserved.charCodeAt(0).toString(16).toUpperCase()}`;
			expect(withReserved).toBe(`${plain}${reservedEncoded}${plain}`);
		}
	});
});

describe('hasLoneSurrogate', () => {
	it.each([
		['', false],
		['abc', false],
		['😀', false],
		['a😀b😀', false],
		['\uD83D', true],
		['\uDE00', true],
		['a\uD83Db', true],
		['\uDE00\uD83D', true],
		['😀\uD83D', true],
	])('%j → %s', (input, expected) => {
		expect(hasLoneSurrogate(input)).toBe(expected);
	});
});
