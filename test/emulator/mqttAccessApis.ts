/**
 * The token, session and device-credential APIs of ApsaraMQ for MQTT (onsmqtt 2020-04-20), with
 * their per-account quotas (docs/mqtt-access.md#apis). The state lives in MqttAccess.
 */
import { z } from 'zod';

import type { ApiContext, ApiDef, Quota } from './apis';
import { ApiError, errors, invalidParameter, missing } from './errors';
import {
	MIN_TOKEN_VALIDITY_MS,
	groupOfClientId,
	type DeviceCredential,
	type TokenActions,
} from './mqttAccess';
import type { MqttInstance } from './seed';

const MQTT_IP_QPS = 300;
const MAX_TOKEN_RESOURCES = 100;
const MAX_BATCH_CLIENT_IDS = 10;

function mqttApi<S extends z.AnyZodObject>(def: {
	action: string;
	params: S;
	account: number;
	handle(ctx: ApiContext, params: z.output<S>): Promise<object>;
}): ApiDef {
	const quota: Quota = { account: def.account, ip: MQTT_IP_QPS };
	return {
		product: 'onsmqtt',
		action: def.action,
		params: def.params,
		quota,
		send: false,
		handle: def.handle,
	} as unknown as ApiDef;
}

function instanceOf(ctx: ApiContext, instanceId: string): MqttInstance {
	const instance = ctx.world.mqttInstances.get(instanceId);
	if (!instance) throw errors.instancePermission();
	return instance;
}

const parameterCheckFailed = (detail: string) =>
	new ApiError('ParameterCheckFailed', 400, `Parameter check failed: ${detail}`);

/** A device's client ID, whose group must exist in the instance. */
function checkClientId(instance: MqttInstance, clientId: string): void {
	const group = groupOfClientId(clientId);
	if (!group) throw invalidParameter('ClientId', 'A client ID is GroupId@@@DeviceId.');
	if (instance.groups.length > 0 && !instance.groups.includes(group)) {
		throw parameterCheckFailed(`the group ${group} does not exist in the instance`);
	}
}

/** Resources: comma-separated topic filters in alphabetical order, whose parent topics exist. */
function parseResources(instance: MqttInstance, text: string): string[] {
	const resources = text.split(',');
	if (resources.length > MAX_TOKEN_RESOURCES) {
		throw invalidParameter('Resources', `At most ${MAX_TOKEN_RESOURCES} topics per token.`);
	}
	for (const resource of resources) {
		const parent = resource.split('/')[0];
		if (!parent || /[+#]/.test(parent)) throw invalidParameter('Resources');
		if (instance.topics && !instance.topics.includes(parent)) throw errors.topicPermission(parent);
	}
	const sorted = [...resources].sort();
	if (sorted.some((r, i) => r !== resources[i])) {
		throw invalidParameter('Resources', 'The topics must be sorted alphabetically.');
	}
	return resources;
}

const instanceAndClient = z.object({ InstanceId: z.string(), ClientId: z.string() });
const instanceAndToken = z.object({ InstanceId: z.string(), Token: z.string() });

function credentialBody(ctx: ApiContext, c: DeviceCredential): object {
	return {
		RequestId: ctx.requestId,
		DeviceCredential: {
			ClientId: c.clientId,
			DeviceAccessKeyId: c.deviceAccessKeyId,
			DeviceAccessKeySecret: c.deviceAccessKeySecret,
			InstanceId: c.instanceId,
			CreateTime: c.createTime,
			UpdateTime: c.updateTime,
		},
	};
}

const applyToken = mqttApi({
	action: 'ApplyToken',
	params: z.object({
		InstanceId: z.string(),
		Resources: z.string(),
		Actions: z.enum(['R', 'W', 'R,W']),
		ExpireTime: z.string().regex(/^\d+$/),
	}),
	account: 100,
	async handle(ctx, p) {
		const instance = instanceOf(ctx, p.InstanceId);
		const resources = parseResources(instance, p.Resources);
		const expireAt = Number(p.ExpireTime);
		if (expireAt - ctx.now() < MIN_TOKEN_VALIDITY_MS) {
			throw invalidParameter('ExpireTime', 'A token is valid for at least 60 seconds.');
		}
		const token = ctx.mqttAccess.applyToken({
			accountId: ctx.key.accountId,
			instanceId: instance.instanceId,
			resources,
			actions: p.Actions as TokenActions,
			expireAt,
		});
		return { RequestId: ctx.requestId, Token: token.token };
	},
});

const queryToken = mqttApi({
	action: 'QueryToken',
	params: instanceAndToken,
	account: 100,
	async handle(ctx, p) {
		const instance = instanceOf(ctx, p.InstanceId);
		const token = ctx.mqttAccess.findToken(ctx.key.accountId, instance.instanceId, p.Token);
		return { RequestId: ctx.requestId, TokenStatus: !!token && ctx.mqttAccess.isValid(token) };
	},
});

const revokeToken = mqttApi({
	action: 'RevokeToken',
	params: instanceAndToken,
	account: 5,
	async handle(ctx, p) {
		const instance = instanceOf(ctx, p.InstanceId);
		const token = ctx.mqttAccess.findToken(ctx.key.accountId, instance.instanceId, p.Token);
		// UNCONFIRMED (README.md here): an unknown token is refused; revoking twice is accepted.
		if (!token) throw parameterCheckFailed('the token does not exist');
		ctx.mqttAccess.revoke(token);
		return { RequestId: ctx.requestId };
	},
});

const querySessionByClientId = mqttApi({
	action: 'QuerySessionByClientId',
	params: instanceAndClient,
	account: 500,
	async handle(ctx, p) {
		const instance = instanceOf(ctx, p.InstanceId);
		return {
			RequestId: ctx.requestId,
			OnlineStatus: ctx.mqttAccess.isOnline(instance.instanceId, p.ClientId),
		};
	},
});

const batchQuerySessionByClientIds = mqttApi({
	action: 'BatchQuerySessionByClientIds',
	params: z.object({ InstanceId: z.string() }),
	account: 100,
	async handle(ctx, p) {
		const instance = instanceOf(ctx, p.InstanceId);
		const clientIds: string[] = [];
		for (let n = 1; ctx.raw.has(`ClientIdList.${n}`); n++) {
			clientIds.push(ctx.raw.get(`ClientIdList.${n}`) ?? '');
		}
		if (clientIds.length === 0) throw missing('ClientIdList');
		if (clientIds.length > MAX_BATCH_CLIENT_IDS || clientIds.some((id) => id === '')) {
			throw invalidParameter('ClientIdList', `1 to ${MAX_BATCH_CLIENT_IDS} client IDs.`);
		}
		return {
			RequestId: ctx.requestId,
			OnlineStatusList: clientIds.map((clientId) => ({
				ClientId: clientId,
				OnlineStatus: ctx.mqttAccess.isOnline(instance.instanceId, clientId),
			})),
		};
	},
});

const registerDeviceCredential = mqttApi({
	action: 'RegisterDeviceCredential',
	params: instanceAndClient,
	account: 500,
	async handle(ctx, p) {
		const instance = instanceOf(ctx, p.InstanceId);
		checkClientId(instance, p.ClientId);
		const credential = ctx.mqttAccess.register(ctx.key.accountId, instance.instanceId, p.ClientId);
		return credentialBody(ctx, credential);
	},
});

const getDeviceCredential = mqttApi({
	action: 'GetDeviceCredential',
	params: instanceAndClient,
	account: 500,
	async handle(ctx, p) {
		const instance = instanceOf(ctx, p.InstanceId);
		const credential = ctx.mqttAccess.device(instance.instanceId, p.ClientId);
		// UNCONFIRMED (README.md here): a device without a credential answers without DeviceCredential.
		return credential ? credentialBody(ctx, credential) : { RequestId: ctx.requestId };
	},
});

const unRegisterDeviceCredential = mqttApi({
	action: 'UnRegisterDeviceCredential',
	params: instanceAndClient,
	account: 500,
	async handle(ctx, p) {
		const instance = instanceOf(ctx, p.InstanceId);
		const credential = ctx.mqttAccess.device(instance.instanceId, p.ClientId);
		if (credential) ctx.mqttAccess.unregister(credential);
		return { RequestId: ctx.requestId };
	},
});

const refreshDeviceCredential = mqttApi({
	action: 'RefreshDeviceCredential',
	params: instanceAndClient,
	account: 500,
	async handle(ctx, p) {
		const instance = instanceOf(ctx, p.InstanceId);
		const credential = ctx.mqttAccess.device(instance.instanceId, p.ClientId);
		if (!credential) throw parameterCheckFailed('the device has no credential');
		return credentialBody(ctx, ctx.mqttAccess.refresh(credential));
	},
});

export const MQTT_ACCESS_APIS: readonly ApiDef[] = [
	applyToken,
	queryToken,
	revokeToken,
	querySessionByClientId,
	batchQuerySessionByClientIds,
	registerDeviceCredential,
	getDeviceCredential,
	unRegisterDeviceCredential,
	refreshDeviceCredential,
];
