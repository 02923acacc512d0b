import type { AlibabaApi } from '../apis';

/**
 * Hints for the codes of the RocketMQ HTTP protocol (docs/mq-http-protocol.md#answers-and-errors),
 * merged into the node's table of hints (errors.ts).
 */
export const MQ_HTTP_HINTS: Record<string, (api: AlibabaApi) => string> = {
	TopicNotExist: () =>
		'The topic does not exist in this instance, or the request named the wrong namespace. Check the topic and the instance (the topic list of Publish RocketMQ Message shows the topics of the instance).',
	AccessDenied: (api) =>
		`The AccessKey may not do this. Grant its RAM user ${api.ramActions}.`,
	InvalidAccessKeyId: () =>
		'The RocketMQ HTTP endpoint does not know this AccessKey ID. Check the AccessKey ID in the credential, and that the instance belongs to the same account.',
	TimeExpired: () =>
		"The request's Date is more than 15 minutes away from Alibaba Cloud's clock. Correct the clock of the n8n host (NTP).",
	InvalidArgument: () =>
		'Alibaba Cloud refused a value of the message (a property, the tag, the delivery time or the size). Check the fields of the node.',
	MalformedXML: () =>
		'Alibaba Cloud could not read the message XML. Send bodies with unusual characters as Base64 (Payload Type: Binary File).',
	InvalidDigest: () =>
		'The Content-MD5 of the request did not match its body, which happens when a proxy rewrites the body. Check any proxy between n8n and Alibaba Cloud.',
	QpsLimitExceeded: (api) =>
		`The instance kept throttling ${api.action}. Lower "Max Requests per Second", or raise "Max Retries"; the instance's messaging TPS is shared by every producer and consumer using it.`,
};
