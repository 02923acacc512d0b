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
import { answerList, answerText } from '../transport/answer';
import { AlibabaClient } from '../transport/client';
import { failureDetails, operationError } from '../transport/errors';
import { trimTrailing } from '../validation/text';

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
		const sentence = trimTrailing(message, '.');
		throw operationError(context.getNode(), description ? `${sentence}. ${description}` : message);
	}
}

/** A field of the answer as display text; '' when absent. */
function str(value: unknown): string {
	return answerText(value) ?? '';
}

/** The APIs do not paginate or search, so the typed filter is applied here. */
function matching(results: INodeListSearchItems[], filter?: string): INodeListSearchResult {
	const needle = filter?.trim().toLowerCase();
	const found = needle
		? results.filter((r) => `${r.name} ${r.value}`.toLowerCase().includes(needle))
		: results;
	return { results: found.sort((a, b) => a.name.localeCompare(b.name)) };
}

/**
 * One entry, labelled `name (detail)`: what people call the resource, then what tells it apart or
 * explains it (an instance's ID, a topic's remark); the detail is left out when empty or the same.
 */
function entry(value: string, name: string, detail: string): INodeListSearchItems {
	return { name: detail && detail !== name ? `${name} (${detail})` : name, value };
}

interface ListSpec {
	api: AlibabaApi;
	params?: Record<string, string>;
	/** Where the rows are in the answer, e.g. `['Data', 'PublishInfoDo']`. */
	rows: string[];
	entry(row: IDataObject): INodeListSearchItems;
	/** Messages for codes that have a simpler explanation in a dropdown. */
	plainMessages?: Record<string, string>;
	/** The message when the answer lists nothing, where an empty dropdown would puzzle. */
	whenEmpty?: string;
}

/** A dropdown: one list call, one entry per row, the typed filter. */
async function searchList(
	context: ILoadOptionsFunctions,
	spec: ListSpec,
	filter?: string,
): Promise<INodeListSearchResult> {
	const body = await list(context, spec.api, spec.params, spec.plainMessages);
	const entries = answerList(body, ...spec.rows).map(spec.entry);
	if (entries.length === 0 && spec.whenEmpty) throw operationError(context.getNode(), spec.whenEmpty);
	return matching(entries, filter);
}

/** The value of another locator of the node, required before a dependent list can load. */
function required(context: ILoadOptionsFunctions, name: string, label: string): string {
	const value = str(context.getCurrentNodeParameter(name, { extractValue: true })).trim();
	if (!value) throw operationError(context.getNode(), `Choose the ${label} first`);
	return value;
}

/** A list of instances, each by its name when it has one. */
function instanceList(api: AlibabaApi, rows: string[]) {
	return async function (this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const instanceEntry = (instance: IDataObject) => {
			const id = str(instance.InstanceId);
			return entry(id, str(instance.InstanceName) || id, id);
		};
		return await searchList(this, { api, rows, entry: instanceEntry }, filter);
	};
}

/** A list of the chosen instance's resources (topics, groups), each with its remark. */
function resourceList(api: AlibabaApi, rows: string[], idKey: string) {
	return async function (this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const params = { InstanceId: required(this, 'instanceId', 'instance') };
		const resourceEntry = (row: IDataObject) => entry(str(row[idKey]), str(row[idKey]), str(row.Remark));
		return await searchList(this, { api, params, rows, entry: resourceEntry }, filter);
	};
}

const searchMqttInstances = instanceList(LIST_MQTT_INSTANCES, ['Instances']);
const searchOnsInstances = instanceList(ONS_INSTANCE_IN_SERVICE_LIST, ['Data', 'InstanceVO']);
const searchOnsTopics = resourceList(ONS_TOPIC_LIST, ['Data', 'PublishInfoDo'], 'Topic');
const searchOnsGroups = resourceList(ONS_GROUP_LIST, ['Data', 'SubscribeInfoDo'], 'GroupId');

/**
 * The groups the trigger can consume with: only those created with the HTTP protocol, because
 * TCP and HTTP clients cannot share a group (docs/trigger.md#http-groups). When the instance has
 * TCP groups only, the message says so instead of an empty list.
 */
async function searchOnsHttpGroups(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const instanceId = required(this, 'instanceId', 'instance');
	// OnsGroupList answers TCP groups only unless asked for `GroupType=http` (docs/endpoints.md#list-apis).
	const body = await list(this, ONS_GROUP_LIST, { InstanceId: instanceId, GroupType: 'http' });
	const groups = answerList(body, 'Data', 'SubscribeInfoDo');
	const http = groups.filter((group) => str(group.GroupType).toLowerCase() === 'http');
	if (http.length === 0) {
		// A second call, without the type, only to say whether TCP groups are what the instance has.
		const tcpBody = await list(this, ONS_GROUP_LIST, { InstanceId: instanceId });
		const tcp = answerList(tcpBody, 'Data', 'SubscribeInfoDo').length;
		const why = tcp > 0 ? `has only TCP groups (${tcp})` : 'has no group';
		throw operationError(
			this.getNode(),
			`Instance ${instanceId} ${why}. The trigger consumes over RocketMQ's HTTP protocol, and a TCP group cannot be used by HTTP clients: create a group with the HTTP protocol in the console, or type its ID.`,
		);
	}
	const groupEntry = (group: IDataObject) => entry(str(group.GroupId), str(group.GroupId), str(group.Remark));
	return matching(http.map(groupEntry), filter);
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
	return entry(clientId, shown, sdk);
}

async function searchOnsClients(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const instanceId = required(this, 'instanceId', 'instance');
	const groupId = required(this, 'groupId', 'group');
	const noneOnline = `No consumer of group ${groupId} is online now. Start a consumer of the group, or type the client ID.`;
	return await searchList(
		this,
		{
			api: ONS_CONSUMER_GET_CONNECTION,
			params: { InstanceId: instanceId, GroupId: groupId },
			rows: ['Data', 'ConnectionList', 'ConnectionDo'],
			entry: clientEntry,
			plainMessages: { BIZ_CONSUMER_NOT_ONLINE: noneOnline },
			// Alibaba may also answer an empty list rather than BIZ_CONSUMER_NOT_ONLINE.
			whenEmpty: noneOnline,
		},
		filter,
	);
}

export const listSearch = {
	searchMqttInstances,
	searchOnsInstances,
	searchOnsTopics,
	searchOnsGroups,
	searchOnsHttpGroups,
	searchOnsClients,
};
