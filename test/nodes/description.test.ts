import type { INodeProperties, INodePropertyOptions, INodeType } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { ApsaraMq } from '../../nodes/ApsaraMq/ApsaraMq.node';
import { OPERATIONS } from '../../nodes/ApsaraMq/actions/operations';
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
	it('keeps the public names of docs/interface.md', () => {
		expect(description).toMatchObject({
			name: 'apsaraMq',
			displayName: 'Alibaba Cloud ApsaraMQ',
			version: 1,
			usableAsTool: true,
			credentials: [{ name: 'alibabaCloudAccessKeyApi', required: true }],
		});
		expect([...operationValues].sort()).toEqual(
			['getOnsConsumerConnections', 'publishRocketMqMessage', 'pushOnsMessage', 'sendMqttMessage'].sort(),
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
			'tag',
			'options',
			'options.messageKey',
			'options.properties',
			'options.deliverAt',
			'options.shardingKey',
			'options.httpEndpoint',
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

	it('offers every operation of the registry in the dropdown, sorted by name, a new node starting on Send MQTT Message', () => {
		const dropdown = description.properties.find((p) => p.name === 'operation');
		const options = dropdown?.options as INodePropertyOptions[];
		expect(options).toEqual(
			expect.arrayContaining(
				OPERATIONS.map(({ name, value, description, action }) => ({ name, value, description, action })),
			),
		);
		expect(options).toHaveLength(OPERATIONS.length);
		const names = options.map((o) => o.name);
		expect(names).toEqual([...names].sort());
		expect(dropdown?.default).toBe('sendMqttMessage');
	});

	it.each(OPERATIONS.map((operation) => [operation.value, operation]))(
		'%s: its fields show only while it is chosen, and its target is one of its fields',
		(_, operation) => {
			const own = description.properties.filter((p) =>
				p.displayOptions?.show?.operation?.includes(operation.value),
			);
			expect(own.map((p) => p.name)).toEqual(operation.properties.map((p) => p.name));
			for (const field of own) expect(field.displayOptions?.show?.operation).toEqual([operation.value]);
			expect(own.map((p) => p.name)).toContain(operation.target);
		},
	);

	describe('subtitle, evaluated as the editor does (Workflow.expression.getSimpleParameterValue)', () => {
		const nodeType = node as INodeType;
		const subtitle = (parameters: Record<string, unknown>) => {
			const workflow = new Workflow({
				nodes: [
					{ id: '1', name: 'ApsaraMQ', type: 'apsaraMq', typeVersion: 1, position: [0, 0], parameters } as never,
				],
				connections: {},
				active: false,
				nodeTypes: {
					getByName: () => nodeType,
					getByNameAndVersion: () => nodeType,
					getKnownTypes: () => ({}),
				},
			});
			return workflow.expression.getSimpleParameterValue(
				workflow.getNode('ApsaraMQ')!,
				description.subtitle,
				'internal',
				{},
			);
		};
		const locator = (value: string, mode = 'list') => ({ __rl: true, mode, value });

		it('shows the MQTT topic for Send MQTT Message (also when the operation is left at its default)', () => {
			expect(subtitle({ operation: 'sendMqttMessage', mqttTopic: 'TopicA/devices/42' })).toBe(
				'TopicA/devices/42',
			);
			expect(subtitle({ mqttTopic: 'TopicA/x' })).toBe('TopicA/x');
		});

		it("shows a locator's value, not the locator object, in list and ID mode", () => {
			expect(
				subtitle({ operation: 'pushOnsMessage', topic: locator('orders'), groupId: locator('GID_a', 'id') }),
			).toBe('orders');
			expect(
				subtitle({ operation: 'getOnsConsumerConnections', groupId: locator('GID_b', 'id') }),
			).toBe('GID_b');
		});

		it('shows nothing rather than failing while the target is empty', () => {
			expect(subtitle({ operation: 'getOnsConsumerConnections' })).toBe('');
		});
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

	it('keeps the public names and fields of docs/interface.md', () => {
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
