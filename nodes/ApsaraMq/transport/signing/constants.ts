/**
 * Fixed values of the Alibaba Cloud OpenAPI (POP) signing protocol.
 *
 * Reference: docs/signing.md#request-basics, docs/signing.md#v2 and docs/signing.md#v3. Kept in
 * one place so that every stage and every test agree on the exact spellings.
 */

/** V3 algorithm: the first token of `Authorization` and the first line of the string to sign. */
export const V3_ALGORITHM = 'ACS3-HMAC-SHA256';

/**
 * V2 common parameters (docs/signing.md#v2-parameters). The version value is `1.0` although the
 * docs call it "V2".
 */
export const V2_SIGNATURE_METHOD = 'HMAC-SHA1';
export const V2_SIGNATURE_VERSION = '1.0';
/** Without `Format` the gateway answers V2 requests in XML. */
export const V2_FORMAT = 'JSON';

/**
 * Names the V2 signer sets itself. A business parameter with one of these names would silently
 * change what is signed, so it is refused instead (docs/signing.md#v2-parameters).
 */
export const V2_RESERVED_PARAMETERS: readonly string[] = [
	'AccessKeyId',
	'Action',
	'Format',
	'SecurityToken',
	'Signature',
	'SignatureMethod',
	'SignatureNonce',
	'SignatureVersion',
	'Timestamp',
	'Version',
];

/** Lower-case hex SHA-256 of zero bytes, the payload hash of an empty body (docs/signing.md#v3). */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Every request of this package is `POST /` with a form body and no query string
 * (docs/signing.md#where-parameters-go, and the project decision recorded in signRequest.ts).
 */
export const RPC_METHOD = 'POST';
export const RPC_PATH = '/';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
/** V3 has no `Format`; JSON is asked for with `Accept` (docs/signing.md#request-basics). */
export const ACCEPT_JSON = 'application/json';
/**
 * The gateway ignores the user agent; it only helps Alibaba support identify us
 * (docs/signing.md#request-basics).
 */
export const USER_AGENT = 'AlibabaCloud (n8n-nodes-apsaramq)';

/**
 * Header names, all lower case: V3 canonicalises names to lower case anyway
 * (docs/signing.md#canonical-headers).
 */
export const HEADER = {
	accept: 'accept',
	action: 'x-acs-action',
	authorization: 'authorization',
	contentLength: 'content-length',
	contentSha256: 'x-acs-content-sha256',
	contentType: 'content-type',
	date: 'x-acs-date',
	host: 'host',
	nonce: 'x-acs-signature-nonce',
	securityToken: 'x-acs-security-token',
	userAgent: 'user-agent',
	version: 'x-acs-version',
} as const;

/** Every header with this prefix is signed under V3 (docs/signing.md#canonical-headers). */
export const SIGNED_HEADER_PREFIX = 'x-acs-';
