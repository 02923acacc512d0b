/**
 * Alibaba error codes the emulator produces, with their HTTP statuses and messages
 * (docs/errors.md#gateway-codes and docs/errors.md#product-codes). Statuses marked UNCONFIRMED
 * there are a choice documented in README.md.
 */

export class ApiError extends Error {
	constructor(
		readonly code: string,
		readonly status: number,
		message: string,
		readonly extra: Record<string, unknown> = {},
		readonly headers: Record<string, string> = {},
	) {
		super(message);
		this.name = 'ApiError';
	}
}

export const missing = (name: string): ApiError =>
	new ApiError(`Missing${name}`, 400, `${name} is mandatory for this action.`);

export const invalidParameter = (name: string, detail?: string): ApiError =>
	new ApiError(
		`InvalidParameter.${name}`,
		400,
		`Specified parameter ${name} is not valid.${detail ? ` ${detail}` : ''}`,
	);

export const errors = {
	apiNotFound: () =>
		new ApiError(
			'InvalidApi.NotFound',
			404,
			'Specified api is not found, please check your url and method.',
		),
	invalidVersion: () =>
		new ApiError('InvalidVersion', 400, 'Specified parameter Version is not valid.'),
	unsupportedMethod: () =>
		new ApiError('UnsupportedHTTPMethod', 400, 'This http method is not supported.'),
	invalidFormat: () =>
		new ApiError('InvalidParameter.Format', 400, 'Specified parameter format is not valid.'),
	invalidSignatureMethod: () =>
		new ApiError('InvalidSignatureMethod', 400, 'Specified signature method is not valid.'),
	invalidSignatureVersion: () =>
		new ApiError('InvalidSignatureVersion', 400, 'Specified signature version is not valid.'),
	incompleteSignature: (detail: string) =>
		new ApiError(
			'IncompleteSignature',
			400,
			`The request signature does not conform to Aliyun standards. ${detail}`,
		),
	keyNotFound: () =>
		new ApiError('InvalidAccessKeyId.NotFound', 404, 'Specified access key is not found.'),
	keyInactive: () =>
		new ApiError('InvalidAccessKeyId.Inactive', 400, 'Specified access key is disabled.'),
	timestampFormat: () =>
		new ApiError(
			'InvalidTimeStamp.Format',
			400,
			'Specified time stamp or date value is not well formatted.',
		),
	timestampExpired: () =>
		new ApiError('InvalidTimeStamp.Expired', 400, 'Specified time stamp or date value is expired.'),
	nonceUsed: () =>
		new ApiError('SignatureNonceUsed', 400, 'Specified signature nonce was used already.'),
	signatureV2: (stringToSign: string) =>
		new ApiError(
			'SignatureDoesNotMatch',
			400,
			`Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
		),
	signatureV3: (stringToSign: string) =>
		new ApiError(
			'SignatureDoesNotMatch',
			400,
			`Specified signature does not match our calculation. server StringToSign is [${stringToSign}]`,
		),
	tokenMismatch: () =>
		new ApiError(
			'InvalidSecurityToken.MismatchWithAccessKey',
			400,
			'Specified SecurityToken mismatch with the AccessKey.',
		),
	tokenExpired: () =>
		new ApiError('InvalidSecurityToken.Expired', 400, 'Specified SecurityToken is expired.'),
	tokenMalformed: () =>
		new ApiError('InvalidSecurityToken.Malformed', 400, 'Specified SecurityToken is malformed.'),
	forbiddenRam: (authAction: string, principal: string) =>
		new ApiError(
			'Forbidden.RAM',
			403,
			"User not authorized to operate on the specified resource, or this API doesn't support RAM.",
			{
				AccessDeniedDetail: {
					AuthAction: authAction,
					AuthPrincipalDisplayName: principal,
					AuthPrincipalType: 'SubUser',
					NoPermissionType: 'ImplicitDeny',
					PolicyType: 'AccountLevelIdentityBasedPolicy',
				},
			},
		),
	throttlingUser: () =>
		new ApiError('Throttling.User', 400, 'Request was denied due to user flow control.'),
	systemOverFlow: () =>
		new ApiError(
			'SystemOverFlow',
			500,
			'The system is overloaded by too many requests, please retry later.',
		),
	internalError: () =>
		new ApiError(
			'InternalError',
			500,
			'The request processing has failed due to some unknown error, exception or failure.',
		),
	serviceUnavailable: () =>
		new ApiError(
			'ServiceUnavailable',
			503,
			'The request has failed due to a temporary failure of the server.',
		),
	sendMessageFailed: () =>
		new ApiError(
			'SendMessageFailed',
			500,
			'Failed to send the message because of a backend error, please retry later.',
		),
	// ApsaraMQ for MQTT (docs/errors.md#product-codes)
	instancePermission: () =>
		new ApiError(
			'InstancePermissionCheckFailed',
			400,
			'An error occurred while validating the permissions of the instance. Check whether the instance exists and belongs to your account.',
		),
	topicPermission: (parent: string) =>
		new ApiError(
			'PermissionCheckFailed',
			400,
			`The parent topic ${parent} does not exist in the instance or you do not have permission on it.`,
		),
	// ApsaraMQ for RocketMQ 4.x (docs/errors.md#product-codes)
	onsInstanceNotFound: (id: string) =>
		new ApiError('INSTANCE_NOT_FOUND', 400, `The instance ${id} does not exist.`),
	onsTopicNotFound: (topic: string) =>
		new ApiError('BIZ_TOPIC_NOT_FOUND', 400, `The topic ${topic} does not exist.`),
	onsGroupNotFound: (group: string) =>
		new ApiError('BIZ_SUBSCRIPTION_NOT_FOUND', 400, `The group ${group} does not exist.`),
	onsNoMessage: (msgId: string) =>
		new ApiError('BIZ_NO_MESSAGE', 400, `The message ${msgId} does not exist.`),
	onsConsumerNotOnline: (group: string) =>
		new ApiError('BIZ_CONSUMER_NOT_ONLINE', 400, `The consumer of group ${group} is not online.`),
	onsFieldInvalid: (name: string) =>
		new ApiError('BIZ_FIELD_CHECK_INVALID', 400, `The field ${name} is invalid.`),
} as const;
