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
