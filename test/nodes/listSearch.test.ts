import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
} from 'n8n-workflow';

import { ApsaraMq } from '../../nodes/ApsaraMq/ApsaraMq.node';
import type { Emulator } from '../emulator';
import { createEmulator } from '../emulator';
import { emulatorCredentials, n8nLikeTransport } from './emulatorTransport';
import { id, NODE } from './fakeContext';

/**
 * The dropdowns (listSearch methods) against the emulator, through the real credential's
 * signing: what the editor would show, the filter, dependent lists, and the messages a builder
 * sees when something is missing. The same lists run inside a real n8n in the e2e suite.
 */

const MQTT_INSTANCE = 'post-cn-0pp12gl0001';
const MQTT_OPEN_INSTANCE = 'mqtt-cn-4xl3g0a0002';
const ONS_INSTANCE = 'MQ_INST_111111111111_DOxxxxxx';
const ONS_SECOND_INSTANCE = 'MQ_INST_222222222222_DOyyyyyy';
const ONLINE_GROUP = 'GID_test_group_id';
const OFFLINE_GROUP = 'GID_offline_group';

let emulator: Emulator;
let transport: ReturnType<typeof n8nLikeTransport>;

beforeAll(async () => {
	emulator = await createEmulator();
	transport = n8nLikeTransport();
});
afterAll(async () => {
	await transport.close();
	await emulator.close();
});
beforeEach(() => emulator.reset());

type MethodName = keyof NonNullable<ApsaraMq['methods']>['listSearch'];

async function search(
	method: MethodName,
	parameters: Record<string, unknown>,
	filter?: string,
	credentials: Partial<ICredentialDataDecryptedObject> = {},
): Promise<INodeListSearchResult> {
	const context = {
		getNode: () => NODE,
		getCredentials: async () => emulatorCredentials(emulator.url, credentials),
		getCurrentNodeParameter: (name: string, options?: { extractValue?: boolean }) => {
			const value = parameters[name] as { __rl?: boolean; value?: unknown } | undefined;
			return options?.extractValue && value?.__rl ? value.value : value;
		},
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		helpers: {
			httpRequestWithAuthentication: async (
				credentialType: string,
				request: IHttpRequestOptions,
				additional?: IAdditionalCredentialOptions,
			) =>
				await transport.transport(request, credentialType, additional?.credentialsDecrypted?.data),
		},
	} as unknown as ILoadOptionsFunctions;
	const listSearch = new ApsaraMq().methods?.listSearch;
	if (!listSearch) throw new Error('the node has no listSearch methods');
	return await listSearch[method].call(context, filter);
}

const ons = (instanceId = '', groupId = '') => ({
	instanceId: id(instanceId),
	groupId: id(groupId),
});

it('searchMqttInstances lists every MQTT instance with its name, sorted, and filters', async () => {
	expect((await search('searchMqttInstances', {})).results).toEqual([
		{ name: `emulated-mqtt-main (${MQTT_INSTANCE})`, value: MQTT_INSTANCE },
		{ name: `emulated-mqtt-open (${MQTT_OPEN_INSTANCE})`, value: MQTT_OPEN_INSTANCE },
	]);
	expect((await search('searchMqttInstances', {}, ' OPEN ')).results).toEqual([
		{ name: `emulated-mqtt-open (${MQTT_OPEN_INSTANCE})`, value: MQTT_OPEN_INSTANCE },
	]);
	expect(emulator.calls({ action: 'ListInstances', code: 'OK' })).toHaveLength(2);
});

it('searchOnsInstances lists the RocketMQ instances in service', async () => {
	expect((await search('searchOnsInstances', ons())).results).toEqual([
		{ name: `emulated-ons-main (${ONS_INSTANCE})`, value: ONS_INSTANCE },
		{ name: `emulated-ons-second (${ONS_SECOND_INSTANCE})`, value: ONS_SECOND_INSTANCE },
	]);
});

it('searchOnsTopics lists the topics of the chosen instance, with their remarks', async () => {
	expect((await search('searchOnsTopics', ons(ONS_INSTANCE))).results).toEqual([
		{ name: 'orders (partition-ordered messages)', value: 'orders' },
		{ name: 'test_topic (normal messages)', value: 'test_topic' },
	]);
	expect(emulator.calls({ action: 'OnsTopicList' }).map((call) => call.params?.InstanceId)).toEqual(
		[ONS_INSTANCE],
	);
});

it('searchOnsGroups lists the TCP groups of the chosen instance', async () => {
	expect((await search('searchOnsGroups', ons(ONS_INSTANCE), 'consumer')).results).toEqual([
		{ name: 'GID_offline_group (no consumer online)', value: OFFLINE_GROUP },
		{ name: 'GID_test_group_id (three online consumers)', value: ONLINE_GROUP },
	]);
});

it('searchOnsClients names each online consumer by address@process and SDK; the value is the whole client ID', async () => {
	const { results } = await search('searchOnsClients', ons(ONS_INSTANCE, ONLINE_GROUP));
	expect(results).toEqual([
		{
			name: '10.0.0.12@3142#… (CPP V1_1_3)',
			value: '10.0.0.12@3142#1266402811#-946306207#24781634862811',
		},
		{
			name: '30.5.121.7@24813#… (JAVA V4_3_6)',
			value: '30.5.121.7@24813#-1999745829#-1737591554#453111174894656',
		},
		{
			name: '30.5.121.8@24900#… (JAVA V4_3_6)',
			value: '30.5.121.8@24900#-1999745829#-1737591554#453111174894700',
		},
	]);
	// The search still finds a consumer by any part of its whole client ID.
	expect(
		(await search('searchOnsClients', ons(ONS_INSTANCE, ONLINE_GROUP), '453111174894700')).results,
	).toEqual([results[2]]);
	expect(emulator.calls({ action: 'OnsConsumerGetConnection' })[0]).toMatchObject({
		code: 'OK',
		params: expect.objectContaining({ InstanceId: ONS_INSTANCE, GroupId: ONLINE_GROUP }),
	});
});

it('says plainly when no consumer of the group is online', async () => {
	await expect(search('searchOnsClients', ons(ONS_INSTANCE, OFFLINE_GROUP))).rejects.toThrow(
		`No consumer of group ${OFFLINE_GROUP} is online now. Start a consumer of the group, or type the client ID.`,
	);
});

it('asks for the instance, then the group, before calling a dependent list', async () => {
	await expect(search('searchOnsTopics', ons())).rejects.toThrow('Choose the instance first');
	await expect(search('searchOnsClients', ons(ONS_INSTANCE))).rejects.toThrow(
		'Choose the group first',
	);
	expect(emulator.calls()).toHaveLength(0);
});

it('names the RAM permission when the AccessKey may not list ONS instances', async () => {
	const error = await search('searchOnsInstances', ons(), undefined, {
		accessKeyId: 'mqttonlyid',
		accessKeySecret: 'mqttonlysecret',
	}).catch((e: Error) => e);
	expect((error as Error).message).toMatch(/^OnsInstanceInServiceList failed: Forbidden\.RAM: /);
	expect((error as Error).message).toContain('mq:QueryInstanceBaseInfo');
	expect((error as Error).message).not.toContain('mqttonlysecret');
});

it('retries a throttled list call instead of showing the throttling error', async () => {
	emulator.setKnobs({ script: [{ fault: 'throttle', action: 'OnsInstanceInServiceList' }] });
	expect((await search('searchOnsInstances', ons())).results).toHaveLength(2);
	expect(
		emulator.calls({ action: 'OnsInstanceInServiceList' }).map((call) => call.code),
	).toEqual([expect.stringMatching(/^Throttling/), 'OK']);
});
