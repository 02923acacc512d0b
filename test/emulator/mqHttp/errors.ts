/**
 * Errors of the RocketMQ HTTP protocol, answered as Alibaba's `<Error>` XML
 * (docs/mq-http-server.md#errors). Codes and statuses follow Alibaba's HTTP SDK error table; the
 * ones Alibaba does not document are choices listed in ../README.md (decisions).
 */
export class MqHttpError extends Error {
	constructor(
		readonly code: string,
		readonly status: number,
		message: string,
	) {
		super(message);
		this.name = 'MqHttpError';
	}
}

const e = (code: string, status: number) => (message: string) =>
	new MqHttpError(code, status, message);

export const mqErrors = {
	missingAuthorization: () =>
		e('MissingAuthorizationHeader', 400)('The Authorization header is missing.'),
	invalidAuthorization: () =>
		e(
			'InvalidAuthorizationHeader',
			400,
		)('The Authorization header must be "MQ <AccessKeyId>:<Signature>".'),
	missingDate: () => e('MissingDateHeader', 400)('The Date header is missing.'),
	invalidDate: () =>
		e(
			'InvalidDateHeader',
			400,
		)('The Date header must be an RFC 1123 GMT date, e.g. Wed, 01 Jan 2025 00:00:00 GMT.'),
	timeExpired: () =>
		e(
			'TimeExpired',
			408,
		)('The Date of the request is more than 15 minutes away from the server time.'),
	invalidAccessKeyId: (detail: string) => e('InvalidAccessKeyId', 403)(detail),
	signature: (stringToSign: string) =>
		e(
			'SignatureDoesNotMatch',
			403,
		)(
			`The request signature does not match. Server string to sign: ${JSON.stringify(stringToSign)}`,
		),
	invalidDigest: () =>
		e(
			'InvalidDigest',
			400,
		)('Content-MD5 does not match the body: pass the right value or leave it empty.'),
	accessDenied: (detail: string) => e('AccessDenied', 403)(detail),
	invalidArgument: (detail: string) => e('InvalidArgument', 400)(detail),
	malformedXml: (detail: string) =>
		e('MalformedXML', 400)(`The XML body is not well formed: ${detail}`),
	invalidRequestUrl: (detail: string) => e('InvalidRequestURL', 400)(detail),
	invalidQueryString: (name: string) =>
		e('InvalidQueryString', 400)(`The query item ${name} is not known.`),
	missingReceiptHandle: () =>
		e('MissingReceiptHandle', 400)('The request carries no ReceiptHandle.'),
	topicNotExist: (detail: string) => e('TopicNotExist', 404)(detail),
	subscriptionNotExist: (detail: string) => e('SubscriptionNotExist', 404)(detail),
	messageNotExist: () => e('MessageNotExist', 404)('Message not exist.'),
	qpsLimitExceeded: (instanceId: string) =>
		e('QpsLimitExceeded', 400)(`The TPS of instance ${instanceId} is exceeded.`),
	internalError: () => e('InternalError', 500)('Internal error, please retry.'),
	serviceUnavailable: () => e('ServiceUnavailable', 503)('The service is temporarily unavailable.'),
};

/** `The value of <name> should between <low> and <high>` (Alibaba's wording for ranges). */
export function outOfRange(name: string, low: number, high: number): MqHttpError {
	return mqErrors.invalidArgument(`The value of ${name} should between ${low} and ${high}.`);
}
