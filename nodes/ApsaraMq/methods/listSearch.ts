import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import type { AlibabaApi } from '../transport/apis';
import {
	LIST_MQTT_INSTANCES,
	ONS_CONSUMER_GET_CONNECTION,
	ONS_GROUP_LIST,
	ONS_INSTANCE_IN_SERVICE_LIST,
	ONS_TOPIC_LIST,
} from '../transport/apis';
import { AlibabaClient } from '../transport/client';
import { failureDetails, operationError } from '../transport/errors';

/** Dropdowns must answer quickly: a few retries (for throttling), a short timeout. */
const LIST_POLICY = { maxRetries: 3, timeoutMs: 10_000, retryAmbiguous: false };

/**
 * Calls a list API for a dropdown. A failure (often a missing RAM permission) becomes one message
 * that includes the hint, because the dropdown shows the message only; `plainMessages` replaces
 * it for codes that have a simpler explanation here.
 */
async function list(
	context: ILoadOptionsFunctions,
	api: AlibabaApi,
	params: Record<string, string> = {},
	plainMessages: Record<string, string> = {},
): Promise<IDataObject> {
	try {
		const { body } = await new AlibabaClient(context).call(api, params, LIST_POLICY);
		return body;
	} catch (error) {
		const code = failureDetails(error).code;
		if (typeof code === 'string' && plainMessages[code]) {
			throw operationError(context.getNode(), plainMessages[code]);
		}
		const { message, description } = error as { message: string; description?: string | null };
		const sentence = message.replace(/\.+$/, '');
		throw operationError(context.getNode(), description ? `${sentence}. ${description}` : message);
	}
}

function path(body: IDataObject, ...keys: string[]): IDataObject[] {
	let value: unknown = body;
	for (const key of keys) value = (value as IDataObject | undefined)?.[key];
	return Array.isArray(value) ? (value as IDataObject[]) : [];
}

function str(value: unknown): string {
	return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** The APIs do not paginate or search, so the typed filter is applied here. */
function matching(results: INodeListSearchItems[], filter?: string): INodeListSearchResult {
	const needle = filter?.trim().toLowerCase();
	const found = needle
		? results.filter((r) => `${r.name} ${r.value}`.toLowerCase().includes(needle))
		: results;
	return { results: found.sort((a, b) => a.name.localeCompare(b.name)) };
}

function entry(id: string, label?: string): INodeListSearchItems {
	return { name: label && label !== id ? `${label} (${id})` : id, value: id };
}

/** The value of another locator of the node, required before a dependent list can load. */
function required(context: ILoadOptionsFunctions, name: string, label: string): string {
	const value = str(context.getCurrentNodeParameter(name, { extractValue: true })).trim();
	if (!value) throw operationError(context.getNode(), `Choose the ${label} first`);
	return value;
}

async function searchMqttInstances(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const body = await list(this, LIST_MQTT_INSTANCES);
	const instances = path(body, 'Instances').map((i) => entry(str(i.InstanceId), str(i.InstanceName)));
	return matching(instances, filter);
}

async function searchOnsInstances(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const body = await list(this, ONS_INSTANCE_IN_SERVICE_LIST);
	const instances = path(body, 'Data', 'InstanceVO').map((i) =>
		entry(str(i.InstanceId), str(i.InstanceName)),
	);
	return matching(instances, filter);
}

async function searchOnsTopics(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const instanceId = required(this, 'instanceId', 'instance');
	const body = await list(this, ONS_TOPIC_LIST, { InstanceId: instanceId });
	const topics = path(body, 'Data', 'PublishInfoDo').map((t) => {
		const remark = str(t.Remark);
		return { name: remark ? `${str(t.Topic)} (${remark})` : str(t.Topic), value: str(t.Topic) };
	});
	return matching(topics, filter);
}

async function searchOnsGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const instanceId = required(this, 'instanceId', 'instance');
	const body = await list(this, ONS_GROUP_LIST, { InstanceId: instanceId });
	const groups = path(body, 'Data', 'SubscribeInfoDo').map((g) => {
		const remark = str(g.Remark);
		return { name: remark ? `${str(g.GroupId)} (${remark})` : str(g.GroupId), value: str(g.GroupId) };
	});
	return matching(groups, filter);
}

/**
 * n8n's list shows only an entry's `name`, on one line cut to the width of the field, and shows it
 * in the field once chosen. A client ID is long
 * (`30.5.121.7@24813#-1999745829#-1737591554#453111174894656`), so the name is its `address@process`
 * head, which tells the consumers apart, and the SDK; the whole ID is the value (shown in "By ID"
 * mode, and matched by the search).
 */
function clientEntry(connection: IDataObject): INodeListSearchItems {
	const clientId = str(connection.ClientId);
	const head = clientId.split('#')[0];
	const shown = head === clientId ? clientId : `${head}#…`;
	const sdk = [str(connection.Language), str(connection.Version)].filter(Boolean).join(' ');
	return { name: sdk ? `${shown} (${sdk})` : shown, value: clientId };
}

async function searchOnsClients(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const instanceId = required(this, 'instanceId', 'instance');
	const groupId = required(this, 'groupId', 'group');
	const noneOnline = `No consumer of group ${groupId} is online now. Start a consumer of the group, or type the client ID.`;
	const body = await list(
		this,
		ONS_CONSUMER_GET_CONNECTION,
		{ InstanceId: instanceId, GroupId: groupId },
		{ BIZ_CONSUMER_NOT_ONLINE: noneOnline },
	);
	const clients = path(body, 'Data', 'ConnectionList', 'ConnectionDo').map(clientEntry);
	// Alibaba may also answer an empty list rather than BIZ_CONSUMER_NOT_ONLINE.
	if (clients.length === 0) throw operationError(this.getNode(), noneOnline);
	return matching(clients, filter);
}

export const listSearch = {
	searchMqttInstances,
	searchOnsInstances,
	searchOnsTopics,
	searchOnsGroups,
	searchOnsClients,
};
