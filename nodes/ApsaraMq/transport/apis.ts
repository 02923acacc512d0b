/**
 * The Alibaba Cloud APIs the node calls, with the facts that decide how it calls them:
 * which product serves them, whether a repeat is harmless, and how fast the account may call.
 * Quotas and pacing: docs/quotas-and-retries.md#quotas and docs/quotas-and-retries.md#pacing.
 */
export interface AlibabaApi {
	action: string;
	/** API version; it also selects the product (endpoint host) in the credential. */
	version: string;
	/**
	 * `send` publishes or pushes a message: not idempotent, so a failure after the request may
	 * have been processed is never retried unless the user accepts duplicates. `read` is safe to
	 * repeat.
	 */
	kind: 'send' | 'read';
	/** The tightest documented limit that applies to one n8n host, in calls per second. */
	quotaPerSecond: number;
	/**
	 * The pace used when the user leaves Max Requests per Second on automatic: under the quota with
	 * a margin, for one n8n process, shared by all its executions (processPace.ts).
	 */
	automaticRatePerSecond: number;
	/** Requests kept in flight when the user leaves Max Concurrent Requests on automatic. */
	automaticConcurrency: number;
	/** The RAM actions a RAM user needs for this API, named in the hint of a permission error. */
	ramActions: string;
	/**
	 * The answer field without which a 2xx is not a success (the `MsgId` of a send): such an
	 * answer is ambiguous (docs/errors.md#deciding-success).
	 */
	proofOfSuccess?: string;
}

const MQTT_VERSION = '2020-04-20';
const ONS_VERSION = '2019-02-14';

/**
 * onsmqtt SendMessage: 1000/s per account, but 300/s per source IP, over which the IP is blocked.
 * The automatic 140/s is for two n8n processes behind one address (queue mode's main and a worker,
 * or two workers): 2 × 140 = 280 stays under 300, where 250 per process made 500
 * (docs/quotas-and-retries.md#queue-mode).
 */
export const SEND_MESSAGE: AlibabaApi = {
	action: 'SendMessage',
	version: MQTT_VERSION,
	kind: 'send',
	quotaPerSecond: 300,
	automaticRatePerSecond: 140,
	// 140/s at a 30-80 ms round trip needs 5-12 requests in flight; 24 leaves room for slow answers.
	automaticConcurrency: 24,
	ramActions: 'mq:MqttInstanceAccess and mq:SendMessage',
	proofOfSuccess: 'MsgId',
};

/** onsmqtt ListInstances: quota not published; paced like the other list APIs. */
export const LIST_MQTT_INSTANCES: AlibabaApi = {
	action: 'ListInstances',
	version: MQTT_VERSION,
	kind: 'read',
	quotaPerSecond: 10,
	automaticRatePerSecond: 8,
	automaticConcurrency: 2,
	ramActions: 'mq:MqttInstanceAccess and mq:ListInstances (included in the AliyunMQReadOnlyAccess system policy)',
};

/** ons OnsMessagePush: 10/s per account, shared by the main account and its RAM users. */
export const ONS_MESSAGE_PUSH: AlibabaApi = {
	action: 'OnsMessagePush',
	version: ONS_VERSION,
	kind: 'send',
	quotaPerSecond: 10,
	automaticRatePerSecond: 8,
	automaticConcurrency: 4,
	ramActions: 'mq:SUB on the topic and mq:QueryInstanceBaseInfo (formerly mq:OnsInstanceBaseInfo) on the instance',
	// It answers nothing but its request ID (docs/endpoints.md#onsmessagepush).
	proofOfSuccess: 'RequestId',
};

export const ONS_CONSUMER_GET_CONNECTION: AlibabaApi = {
	action: 'OnsConsumerGetConnection',
	version: ONS_VERSION,
	kind: 'read',
	quotaPerSecond: 10,
	automaticRatePerSecond: 8,
	automaticConcurrency: 4,
	ramActions: 'mq:QueryInstanceBaseInfo (formerly mq:OnsInstanceBaseInfo) and read access to the group (AliyunMQReadOnlyAccess covers both)',
};

/** What every ONS list needs: read access to the instance. */
const ONS_INSTANCE_READ =
	'mq:QueryInstanceBaseInfo (formerly mq:OnsInstanceBaseInfo; AliyunMQReadOnlyAccess covers it)';

export const ONS_INSTANCE_IN_SERVICE_LIST: AlibabaApi = {
	action: 'OnsInstanceInServiceList',
	version: ONS_VERSION,
	kind: 'read',
	quotaPerSecond: 50,
	automaticRatePerSecond: 40,
	automaticConcurrency: 2,
	ramActions: ONS_INSTANCE_READ,
};

/** The topic and group lists of an instance, behind the dropdowns: paced alike. */
const ONS_INSTANCE_LIST: Omit<AlibabaApi, 'action'> = {
	version: ONS_VERSION,
	kind: 'read',
	quotaPerSecond: 10,
	automaticRatePerSecond: 8,
	automaticConcurrency: 2,
	ramActions: ONS_INSTANCE_READ,
};

export const ONS_TOPIC_LIST: AlibabaApi = { action: 'OnsTopicList', ...ONS_INSTANCE_LIST };

export const ONS_GROUP_LIST: AlibabaApi = { action: 'OnsGroupList', ...ONS_INSTANCE_LIST };

/**
 * The token, session and device-credential APIs of ApsaraMQ for MQTT, with their per-account
 * quotas (docs/mqtt-access.md#apis). None sends a message; a repeat is harmless (an extra token
 * expires unused, a repeated registration returns the credential that is valid), so all are
 * retried like reads.
 */
function mqttAccessApi(
	action: string,
	quotaPerSecond: number,
	automaticConcurrency: number,
): AlibabaApi {
	return {
		action,
		version: MQTT_VERSION,
		kind: 'read',
		quotaPerSecond,
		automaticRatePerSecond: Math.floor(quotaPerSecond * 0.8),
		automaticConcurrency,
		ramActions: `mq:MqttInstanceAccess and mq:${action}`,
	};
}

export const APPLY_TOKEN = mqttAccessApi('ApplyToken', 100, 8);
export const QUERY_TOKEN = mqttAccessApi('QueryToken', 100, 8);
export const REVOKE_TOKEN = mqttAccessApi('RevokeToken', 5, 2);
export const QUERY_SESSION_BY_CLIENT_ID = mqttAccessApi('QuerySessionByClientId', 500, 16);
/** Up to 10 client IDs per call (docs/mqtt-access.md#client-status). */
export const BATCH_QUERY_SESSION_BY_CLIENT_IDS = mqttAccessApi(
	'BatchQuerySessionByClientIds',
	100,
	8,
);
export const REGISTER_DEVICE_CREDENTIAL = mqttAccessApi('RegisterDeviceCredential', 500, 16);
export const GET_DEVICE_CREDENTIAL = mqttAccessApi('GetDeviceCredential', 500, 16);
export const UNREGISTER_DEVICE_CREDENTIAL = mqttAccessApi('UnRegisterDeviceCredential', 500, 16);

/**
 * ons OnsInstanceBaseInfo: the instance's HTTP endpoints and namespace flag, once per execution
 * per instance (docs/mq-http-protocol.md#endpoint-lookup). 50/s per account.
 */
export const ONS_INSTANCE_BASE_INFO: AlibabaApi = {
	action: 'OnsInstanceBaseInfo',
	version: ONS_VERSION,
	kind: 'read',
	quotaPerSecond: 50,
	automaticRatePerSecond: 40,
	automaticConcurrency: 2,
	ramActions: ONS_INSTANCE_READ,
};

/**
 * ons OnsMessageGetByKey: the look-up that settles a publish whose outcome is unknown
 * (docs/mq-http-protocol.md#duplicate-rules). 10/s per account, its own quota.
 */
export const ONS_MESSAGE_GET_BY_KEY: AlibabaApi = {
	action: 'OnsMessageGetByKey',
	version: ONS_VERSION,
	kind: 'read',
	quotaPerSecond: 10,
	automaticRatePerSecond: 8,
	automaticConcurrency: 4,
	ramActions:
		'mq:OnsMessageGetByKey on the instance and topic (a read action; AliyunMQReadOnlyAccess covers it)',
};

/**
 * RocketMQ 4.x HTTP PublishMessage (`POST /topics/{topic}/messages`), not an OpenAPI call: the
 * `version` only satisfies the shape. The limit is the instance's messaging TPS, 5,000 msg/s on
 * a Standard instance and the purchased spec on Enterprise Platinum (docs/mq-http-protocol.md#limits).
 */
export const MQ_HTTP_PUBLISH: AlibabaApi = {
	action: 'PublishMessage',
	version: ONS_VERSION,
	kind: 'send',
	quotaPerSecond: 5000,
	automaticRatePerSecond: 4000,
	// 4,000/s at a 30-80 ms round trip would need 120-320 in flight; n8n's own cost per item
	// caps a batch well below that, and 64 keeps the sockets and memory of one batch modest.
	automaticConcurrency: 64,
	ramActions:
		'mq:PUB on the topic (and mq:QueryInstanceBaseInfo, formerly mq:OnsInstanceBaseInfo, on the instance)',
};

/**
 * RocketMQ HTTP protocol ConsumeMessage (`GET /topics/{topic}/messages`), a long poll of up to
 * 30 s, used by the ApsaraMQ Trigger (docs/trigger.md#how-it-consumes). Shares the instance's
 * HTTP quota with publishing.
 */
export const MQ_HTTP_CONSUME: AlibabaApi = {
	action: 'ConsumeMessage',
	version: ONS_VERSION,
	kind: 'read',
	quotaPerSecond: 5000,
	automaticRatePerSecond: 4000,
	automaticConcurrency: 1,
	ramActions: 'mq:SUB on the instance, the topic and the group',
};

/** RocketMQ HTTP protocol AckMessage (`DELETE /topics/{topic}/messages`), 1–16 receipt handles. */
export const MQ_HTTP_ACK: AlibabaApi = {
	action: 'AckMessage',
	version: ONS_VERSION,
	kind: 'read',
	quotaPerSecond: 5000,
	automaticRatePerSecond: 4000,
	automaticConcurrency: 16,
	ramActions: 'mq:SUB on the instance, the topic and the group',
};
