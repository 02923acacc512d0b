import type {
	IAdditionalCredentialOptions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
} from 'n8n-workflow';

import { ApsaraMqTrigger } from '../../nodes/ApsaraMqTrigger/ApsaraMqTrigger.node';
import type { Emulator } from '../emulator';
import { createEmulator } from '../emulator';
import { emulatorCredentials, n8nLikeTransport } from '../nodes/emulatorTransport';
import { id, NODE } from '../nodes/fakeContext';

/**
 * The trigger's Group list (`searchOnsHttpGroups`) against the emulator, signed by the real
 * credential: only groups created with the HTTP protocol, because TCP and HTTP clients cannot
 * share a group (docs/trigger.md#http-groups); an instance with TCP groups only says so.
 */
const MAIN_INSTANCE = 'MQ_INST_111111111111_DOxxxxxx'; // three TCP groups and GID_http_group
const TCP_ONLY_INSTANCE = 'MQ_INST_222222222222_DOyyyyyy'; // GID_other_group only

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

async function searchGroups(instanceId: string, filter?: string): Promise<INodeListSearchResult> {
	const context = {
		getNode: () => NODE,
		getCredentials: async () => emulatorCredentials(emulator.url),
		getCurrentNodeParameter: (name: string, options?: { extractValue?: boolean }) => {
			const value = name === 'instanceId' ? id(instanceId) : undefined;
			return options?.extractValue ? value?.value : value;
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
	const search = new ApsaraMqTrigger().methods.listSearch.searchOnsHttpGroups;
	return await search.call(context, filter);
}

it('lists only the HTTP groups of the instance, not its TCP ones', async () => {
	const { results } = await searchGroups(MAIN_INSTANCE);
	expect(results).toEqual([{ name: 'GID_http_group (HTTP consumers)', value: 'GID_http_group' }]);
	// OnsGroupList answers TCP groups unless asked for HTTP ones (docs/endpoints.md#list-apis).
	const listed = emulator.calls({ action: 'OnsGroupList' });
	expect(listed.map((call) => call.params)).toEqual([
		expect.objectContaining({ InstanceId: MAIN_INSTANCE, GroupType: 'http' }),
	]);
	expect((await searchGroups(MAIN_INSTANCE, 'test_group')).results).toEqual([]);
});

it('says why when the instance has only TCP groups, and how to get an HTTP one', async () => {
	await expect(searchGroups(TCP_ONLY_INSTANCE)).rejects.toThrow(
		`Instance ${TCP_ONLY_INSTANCE} has only TCP groups (1). The trigger consumes over RocketMQ's HTTP protocol, and a TCP group cannot be used by HTTP clients: create a group with the HTTP protocol in the console, or type its ID.`,
	);
});
