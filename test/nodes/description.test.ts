import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ApsaraMq } from '../../nodes/ApsaraMq/ApsaraMq.node';
import codex from '../../nodes/ApsaraMq/ApsaraMq.node.json';
import { AlibabaCloudAccessKeyApi } from '../../credentials/AlibabaCloudAccessKeyApi.credentials';

const node = new ApsaraMq();
const { description } = node;
const operationValues = (
	description.properties.find((p) => p.name === 'operation')?.options as INodePropertyOptions[]
).map((o) => o.value);

/** Every parameter, including the fields of collections, with the path that leads to it. */
function allParameters(properties: INodeProperties[], path = ''): Array<[string, INodeProperties]> {
	return properties.flatMap((p) => {
		const here: [string, INodeProperties] = [`${path}${p.name}`, p];
		const nested = (p.options ?? []).filter(
			(o): o is INodeProperties => typeof o === 'object' && 'displayName' in o && 'type' in o,
		);
		return [here, ...allParameters(nested, `${path}${p.name}.`)];
	});
}

const parameters = allParameters(description.properties).filter(([, p]) => p.type !== 'notice');

describe('node description', () => {
	it('keeps the public names of interface.md', () => {
		expect(description).toMatchObject({
			name: 'apsaraMq',
			displayName: 'Alibaba Cloud ApsaraMQ',
			version: 1,
			usableAsTool: true,
			credentials: [{ name: 'alibabaCloudAccessKeyApi', required: true }],
		});
		expect([...operationValues].sort()).toEqual(
			['getOnsConsumerConnections', 'pushOnsMessage', 'sendMqttMessage'].sort(),
		);
		const names = new Set(parameters.map(([path]) => path));
		for (const name of [
			'instanceId',
			'mqttTopic',
			'payloadType',
			'payload',
			'jsonPayload',
			'binaryPropertyName',
			'topic',
			'groupId',
			'clientId',
			'msgId',
			'options',
		]) {
			expect(names).toContain(name);
		}
	});

	it.each(parameters)('%s has a description of a full sentence or more', (_, parameter) => {
		expect(typeof parameter.description).toBe('string');
		expect((parameter.description as string).length).toBeGreaterThan(20);
	});

	it('gives every free-text parameter an example, for people and for AI agents using the node as a tool', () => {
		const withoutExample = parameters
			.filter(([, p]) => ['string', 'json', 'number', 'resourceLocator'].includes(p.type))
			.filter(([, p]) => !/e\.g\.|Example:/.test(`${p.description} ${p.placeholder ?? ''}`))
			.map(([path]) => path);
		expect(withoutExample).toEqual([]);
	});

	it('has unique option values, and sorted options, in every options parameter', () => {
		for (const [, parameter] of parameters.filter(([, p]) => p.type === 'options')) {
			const values = (parameter.options as INodePropertyOptions[]).map((o) => o.value);
			expect(new Set(values).size).toBe(values.length);
			const names = (parameter.options as INodePropertyOptions[]).map((o) => o.name);
			expect(names).toEqual([...names].sort());
		}
	});

	it('shows every field only for operations that exist', () => {
		for (const [, parameter] of parameters) {
			const shown = parameter.displayOptions?.show?.operation;
			for (const operation of shown ?? []) expect(operationValues).toContain(operation);
		}
	});

	it('offers a resource locator with a list backed by an existing search method, and an ID mode', () => {
		const locators = parameters.filter(([, p]) => p.type === 'resourceLocator');
		expect(locators.length).toBeGreaterThanOrEqual(5);
		for (const [, locator] of locators) {
			const modes = locator.modes ?? [];
			expect(modes.map((m) => m.name)).toEqual(['list', 'id']);
			const method = modes[0].typeOptions?.searchListMethod as string;
			expect(node.methods.listSearch).toHaveProperty(method);
		}
	});

	it('keeps what saved workflows store: every parameter path, type, default, visibility, option values and locator modes', () => {
		// Changing this snapshot changes how saved workflows read: update it only on purpose.
		const surface = allParameters(description.properties).map(([path, p]) => ({
			path,
			type: p.type,
			default: p.default,
			displayOptions: p.displayOptions,
			values: p.type === 'options' ? (p.options as INodePropertyOptions[]).map((o) => o.value) : undefined,
			modes: p.modes?.map((m) => m.name),
		}));
		expect(surface).toMatchSnapshot();
	});

	it('has a codex with the aliases builders search for and links to the README', () => {
		expect(codex.node).toBe('n8n-nodes-apsaramq.apsaraMq');
		expect(codex.alias).toEqual(
			expect.arrayContaining(['Aliyun', 'Alibaba', 'MQTT', 'RocketMQ', 'ONS', 'ApsaraMQ']),
		);
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\/github\.com\/.+#/);
	});
});

describe('credential description', () => {
	const credential = new AlibabaCloudAccessKeyApi();

	it('keeps the public names and fields of interface.md', () => {
		expect(credential.name).toBe('alibabaCloudAccessKeyApi');
		expect(credential.displayName).toBe('Alibaba Cloud AccessKey API');
		expect(credential.properties.map((p) => p.name).sort()).toEqual(
			[
				'accessKeyId',
				'accessKeySecret',
				'temporaryCredentials',
				'securityToken',
				'regionId',
				'endpointType',
				'customEndpoint',
				'signatureVersion',
			].sort(),
		);
	});

	it('masks the secret and the token, and describes every field', () => {
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(byName.accessKeySecret.typeOptions?.password).toBe(true);
		expect(byName.securityToken.typeOptions?.password).toBe(true);
		expect(byName.accessKeyId.typeOptions?.password).toBeUndefined();
		for (const field of credential.properties.filter((p) => p.type !== 'notice')) {
			expect((field.description ?? '').length).toBeGreaterThan(10);
		}
	});
});
