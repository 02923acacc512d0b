/**
 * What Alibaba Cloud's codes for a refused AccessKey, signature, security token, clock or endpoint
 * mean and what to do, one text per code: the node shows it as the hint of a failed call, and the
 * credential test as its message, so both always say the same.
 */

const SECRET_FIX =
	'Check the AccessKey secret in the credential: paste it again exactly, without spaces or line breaks around it (Alibaba Cloud shows it only when the AccessKey is created). If it is right, try the other Signature Version.';

const ENDPOINT_PROBLEM =
	'The endpoint does not serve this API. Check the Region and Endpoint Type of the credential. A custom endpoint must be an Alibaba Cloud OpenAPI gateway; one that serves only ApsaraMQ fails the credential test, which calls STS GetCallerIdentity, yet may work in the node.';

export const CREDENTIAL_PROBLEMS: Readonly<Record<string, string>> = {
	'InvalidAccessKeyId.NotFound':
		'Alibaba Cloud does not know this AccessKey ID: it was mistyped, deleted, or belongs to another account. Copy it again from the RAM console (it usually starts with LTAI, or STS. for temporary credentials).',
	'InvalidAccessKeyId.Inactive':
		'This AccessKey is disabled. Enable it in the RAM console or create a new AccessKey pair.',
	SignatureDoesNotMatch: `The AccessKey ID exists, but the AccessKey Secret is wrong: Alibaba Cloud rejected the signature. ${SECRET_FIX}`,
	IncompleteSignature: `Alibaba Cloud rejected the signature as incomplete. ${SECRET_FIX}`,
	'InvalidTimeStamp.Expired':
		'Alibaba Cloud rejected the request time: the clock of the machine running n8n is more than 15 minutes off. Synchronise it (NTP) and try again.',
	'InvalidTimeStamp.Format':
		'Alibaba Cloud could not read the request time: the clock of the machine running n8n looks wrong. Synchronise it (NTP) and try again.',
	'InvalidSecurityToken.Expired':
		'The Security Token has expired. Get new temporary credentials from STS and update the AccessKey ID, AccessKey Secret and Security Token together.',
	'InvalidSecurityToken.MismatchWithAccessKey':
		'The Security Token does not belong to this AccessKey ID. Update the AccessKey ID, AccessKey Secret and Security Token from the same STS answer.',
	'InvalidSecurityToken.Malformed':
		'The Security Token is malformed. Paste the whole STS token again, without line breaks.',
	MissingSecurityToken:
		'This is a temporary (STS) AccessKey: turn on Temporary Credentials and enter its Security Token.',
	SignatureNonceUsed:
		'Alibaba Cloud saw this request nonce before. Every attempt is signed with a new nonce, so this is transient, unless something between n8n and Alibaba Cloud replays requests. Try again.',
	'InvalidApi.NotFound': ENDPOINT_PROBLEM,
	'InvalidProduct.NotFound': ENDPOINT_PROBLEM,
};
