import {
	buildAuthorization,
	buildCanonicalRequest,
	buildV3StringToSign,
	EMPTY_BODY_SHA256,
	hashPayload,
	hmacSha256Hex,
	sha256Hex,
	signV3StringToSign,
} from '../../nodes/ApsaraMq/transport/signing';

/** V3 stages 4-8 in isolation (docs/signing.md#v3-string-to-sign). */
describe('V3 hashing and assembly', () => {
	it('hashes an empty body to the documented constant', () => {
		expect(EMPTY_BODY_SHA256).toBe(
			'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
		);
		expect(hashPayload('')).toBe(EMPTY_BODY_SHA256);
		expect(hashPayload(new Uint8Array())).toBe(EMPTY_BODY_SHA256);
	});

	it('hashes strings as UTF-8 bytes, identical to hashing the bytes', () => {
		const body = 'Payload=%E4%B8%AD&x=中';
		expect(hashPayload(body)).toBe(hashPayload(Buffer.from(body, 'utf8')));
		expect(sha256Hex('abc')).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
		);
	});

	it('writes lower-case hex', () => {
		expect(sha256Hex('x')).toMatch(/^[0-9a-f]{64}$/);
		expect(hmacSha256Hex('k', 'x')).toMatch(/^[0-9a-f]{64}$/);
	});

	it('assembles the canonical request with a blank line after the headers', () => {
		expect(
			buildCanonicalRequest({
				method: 'POST',
				canonicalUri: '/',
				canonicalQuery: '',
				canonicalHeaders: 'host:h\n',
				signedHeaders: 'host',
				hashedPayload: 'hp',
			}),
		).toBe('POST\n/\n\nhost:h\n\nhost\nhp');
	});

	it('uses the raw secret as the HMAC key (RFC 4231 test case 2)', () => {
		expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(
			'5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
		);
		expect(signV3StringToSign('what do ya want for nothing?', 'Jefe')).toBe(
			'5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
		);
	});

	it('formats the string to sign and the Authorization header', () => {
		expect(buildV3StringToSign('abc')).toBe('ACS3-HMAC-SHA256\nabc');
		expect(buildAuthorization('id', 'host;x-acs-date', 'sig')).toBe(
			'ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-date,Signature=sig',
		);
	});
});
