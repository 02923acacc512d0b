import {
	buildCanonicalQuery,
	buildV2StringToSign,
	hmacSha1Base64,
	percentEncode,
	signV2,
	signV2StringToSign,
	signV3,
} from '../../nodes/ApsaraMq/transport/signing';
import type { V3Signature } from '../../nodes/ApsaraMq/transport/signing';
import { HMAC_SHA1_VECTORS, V2_NEGATIVE_VECTORS, V2_VECTORS, V3_VECTORS } from './vectors';
import type { V3Vector } from './vectors';

/**
 * Known-answer tests for every vector of docs/signing.md#vectors, one assertion per stage so a
 * failure names the stage that diverged (as mhart/aws4's test/fast.js does for AWS's suite).
 */

describe('V2 vectors (A-D)', () => {
	describe.each(V2_VECTORS)('$name', (vector) => {
		const result = signV2(vector.params, vector.method, vector.secret);

		it('stage 1-4: canonicalized query string', () => {
			expect(buildCanonicalQuery(vector.params)).toBe(vector.canonicalQuery);
			expect(result.canonicalQuery).toBe(vector.canonicalQuery);
		});

		it('stage 5: string to sign', () => {
			expect(buildV2StringToSign(vector.method, vector.canonicalQuery)).toBe(vector.stringToSign);
			expect(result.stringToSign).toBe(vector.stringToSign);
		});

		it('stage 6: signature (key = secret + "&")', () => {
			expect(signV2StringToSign(vector.stringToSign, vector.secret)).toBe(vector.signature);
			expect(result.signature).toBe(vector.signature);
		});

		if (vector.encodedSignature !== undefined) {
			const encoded = vector.encodedSignature;
			it('stage 7: signature as sent (percent-encoded)', () => {
				expect(percentEncode(result.signature)).toBe(encoded);
			});
		}
	});
});

describe('V2 negative vectors (B misprinted)', () => {
	describe.each(V2_NEGATIVE_VECTORS)('$name', (vector) => {
		const correct = V2_VECTORS.find((v) => v.name === vector.correctVector);

		it('the misprinted string hashes to the misprinted signature', () => {
			expect(signV2StringToSign(vector.printedStringToSign, vector.secret)).toBe(
				vector.printedSignature,
			);
		});

		it('our string to sign is not the misprint, and our signature is the documented one', () => {
			expect(correct).toBeDefined();
			const result = signV2(correct!.params, correct!.method, correct!.secret);
			expect(result.stringToSign).not.toBe(vector.printedStringToSign);
			expect(result.signature).not.toBe(vector.printedSignature);
			expect(result.signature).toBe(correct!.signature);
		});
	});
});

describe('HMAC-SHA1 primitive vectors (C)', () => {
	it.each(HMAC_SHA1_VECTORS)('$name', (vector) => {
		expect(hmacSha1Base64(vector.key, vector.data)).toBe(vector.signature);
	});
});

/** Signs a V3 vector, with its canonical-query override when it has one (vector H). */
function signVector(vector: V3Vector): V3Signature {
	return signV3({
		method: vector.method,
		canonicalUri: vector.canonicalUri,
		query: vector.query,
		canonicalQuery: vector.canonicalQueryOverride,
		headers: vector.headers,
		hashedPayload: vector.hashedPayload,
		accessKeyId: vector.accessKeyId,
		accessKeySecret: vector.secret,
	});
}

describe('V3 vectors (E-H)', () => {
	describe.each(V3_VECTORS)('$name', (vector) => {
		const result = signVector(vector);

		it('stage 2: canonical query string', () => {
			expect(result.canonicalQuery).toBe(vector.canonicalQuery);
		});

		it('stage 3: canonical headers and signed headers', () => {
			expect(result.canonicalHeaders).toBe(vector.canonicalHeaders);
			expect(result.signedHeaders).toBe(vector.signedHeaders);
		});

		it('stage 4: canonical request', () => {
			const expected =
				vector.canonicalRequest ??
				`${vector.method}\n${vector.canonicalUri}\n${vector.canonicalQuery}\n${vector.canonicalHeaders}\n${vector.signedHeaders}\n${vector.hashedPayload}`;
			expect(result.canonicalRequest).toBe(expected);
		});

		if (vector.hashedCanonicalRequest !== undefined) {
			const hashed = vector.hashedCanonicalRequest;
			it('stage 5: hash of the canonical request', () => {
				expect(result.hashedCanonicalRequest).toBe(hashed);
			});
		}

		if (vector.stringToSign !== undefined) {
			const stringToSign = vector.stringToSign;
			it('stage 6: string to sign', () => {
				expect(result.stringToSign).toBe(stringToSign);
			});
		}

		it('stage 7: signature (key = raw secret)', () => {
			expect(result.signature).toBe(vector.signature);
		});

		it('stage 8: Authorization header', () => {
			expect(result.authorization).toBe(
				vector.authorization ??
					`ACS3-HMAC-SHA256 Credential=${vector.accessKeyId},SignedHeaders=${vector.signedHeaders},Signature=${vector.signature}`,
			);
		});
	});
});
