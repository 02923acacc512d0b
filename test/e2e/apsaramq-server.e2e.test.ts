// The package inside a running n8n 2.41.1 (`n8n start`) against the local ApsaraMQ emulator: the
// webhook example from examples/ (published, called over HTTP, delivered to an MQTT subscriber), the
// list search of every resource locator through n8n's REST endpoint as a logged-in owner, and the
// credential test through n8n's REST credential-test endpoint. One emulator and one `n8n start`.
import { createEmulator, type Emulator } from '../emulator';
import {
	APSARAMQ_NODE_TYPE,
	CREDENTIAL_TYPE,
	emulatorCredential,
	emulatorCredentialData,
	EXAMPLE_CREDENTIAL,
	EXAMPLES,
	loadExample,
	restRaw,
	SEED,
	subscribeMqtt,
	type CredentialData,
	type MqttRecorder,
} from './harness/apsaramq';
import {
	createN8nInstance,
	repoRoot,
	type N8nInstance,
	type RestSession,
	type RunningN8n,
} from './harness';

const MQTT_ONLY_CREDENTIAL = { id: 'e2eMqttOnlyCred1', name: 'RAM user without ONS permission' };
const STS_CREDENTIAL = { id: 'e2eStsCred000001', name: 'STS temporary key' };

describe('ApsaraMQ node in a running n8n 2.41.1 (n8n start) against the emulator', () => {
	let emulator: Emulator;
	let n8n: N8nInstance;
	let running: RunningN8n;
	let session: RestSession;
	let mqttRecorder: MqttRecorder | undefined;

	beforeAll(async () => {
		emulator = await createEmulator();
		n8n = await createN8nInstance({ packageDir: repoRoot() });
		await n8n.importCredentials([
			emulatorCredential(emulator.url, EXAMPLE_CREDENTIAL),
			emulatorCredential(emulator.url, MQTT_ONLY_CREDENTIAL, SEED.mqttOnly),
			emulatorCredential(emulator.url, STS_CREDENTIAL, {
				...SEED.sts,
				temporaryCredentials: true,
				signatureVersion: 'v2',
			}),
		]);
		await n8n.importWorkflow(loadExample(EXAMPLES.webhook.file));
		await n8n.publishWorkflow(EXAMPLES.webhook.id);
		running = await n8n.start();
		session = await n8n.createOwnerAndLogin();
	});

	afterAll(async () => {
		await mqttRecorder?.close();
		await running?.stop();
		await n8n?.dispose();
		await emulator?.close();
	});

	beforeEach(() => emulator.reset());
	afterEach(async () => {
		await mqttRecorder?.close();
		mqttRecorder = undefined;
	});

	describe('the webhook example (examples/webhook-to-mqtt.json)', () => {
		const post = async (body: unknown) =>
			await fetch(`${running.url}/webhook/${EXAMPLES.webhook.webhookPath}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});

		it('publishes the POSTed JSON to TopicA/devices/<device>; the response carries the msgId; the subscriber gets the JSON byte for byte', async () => {
			mqttRecorder = await subscribeMqtt(emulator.mqttUrl, 'TopicA/devices/#');
			const bodies = [
				{ device: 'sensor-7', temperature: 21.5, note: 'héllo 中文 😀 "quoted", ~*\'()!+/=?&%' },
				{ temperature: -3, nested: { ok: true, list: [1, 'two', null] } }, // no device → "demo"
			];
			const answers = [];
			for (const body of bodies) {
				const response = await post(body);
				expect({
					status: response.status,
					log: response.status === 200 ? '' : running.output(),
				}).toEqual({
					status: 200,
					log: '',
				});
				answers.push((await response.json()) as Record<string, unknown>);
			}

			const deliveries = emulator.mqttDeliveries();
			expect(deliveries).toHaveLength(2);
			const topics = ['TopicA/devices/sensor-7', 'TopicA/devices/demo'];
			answers.forEach((answer, i) => {
				expect(answer).toEqual({
					msgId: deliveries[i].msgId,
					requestId: deliveries[i].requestId,
					instanceId: SEED.mqttInstance,
					mqttTopic: topics[i],
				});
				expect(deliveries[i].topic).toBe(topics[i]);
			});
			expect(emulator.calls()[0]).toMatchObject({
				action: 'SendMessage',
				accessKeyId: SEED.key.accessKeyId,
				signatureVersion: 'v3',
			});

			await mqttRecorder.waitForCount(2);
			bodies.forEach((body, i) => {
				const [received] = mqttRecorder?.on(topics[i]) ?? [];
				expect(received?.payload.toString('utf8')).toBe(JSON.stringify(body));
			});
		});

		it('answers a refused input with 400 and the error naming the field, sends nothing, and still answers a good one with the msgId', async () => {
			const wildcard = await post({ device: 'a+b', temperature: 1 });
			expect(wildcard.status).toBe(400);
			const refused = (await wildcard.json()) as Record<string, unknown>;
			expect(refused).toEqual({
				error:
					'Invalid parameter: "MQTT Topic" must not contain the wildcards + or # (they are only for subscribing)',
				hint: expect.stringContaining('from the device field of the body (no + or #)'),
			});

			const tooBig = await post({ device: 'big', text: 'x'.repeat(70_000) });
			expect(tooBig.status).toBe(400);
			expect(((await tooBig.json()) as { error: string }).error).toMatch(
				/^Invalid parameter: "JSON Payload" is \d+ bytes, over the 65536-byte \(64 KB\) limit/,
			);
			expect(emulator.calls()).toEqual([]);

			const good = await post({ device: 'ok' });
			expect(good.status).toBe(200);
			const answer = (await good.json()) as Record<string, unknown>;
			expect(answer).toEqual({
				msgId: emulator.mqttDeliveries()[0]?.msgId,
				requestId: expect.any(String),
				instanceId: SEED.mqttInstance,
				mqttTopic: 'TopicA/devices/ok',
			});
			expect(answer.msgId).toMatch(/^[0-9A-F]{32}$/);
		});

		it('answers 502 with the error, its code and the request ID when ApsaraMQ fails the send', async () => {
			emulator.setKnobs({ script: [{ fault: 'sendMessageFailed', action: 'SendMessage' }] });
			const response = await post({ device: 'flaky' });
			expect(response.status).toBe(502);
			const body = (await response.json()) as Record<string, unknown>;
			const [call] = emulator.calls({ action: 'SendMessage' });
			expect(body).toEqual({
				error: expect.stringMatching(/may or may not have been delivered.*SendMessageFailed/),
				code: 'AmbiguousDelivery',
				requestId: call.requestId,
				httpStatus: 500,
			});
		});
	});

	describe('resource locator list searches (POST /rest/dynamic-node-parameters/resource-locator-results)', () => {
		const search = async (
			methodName: string,
			parameter: string,
			parameters: Record<string, unknown>,
			options: { filter?: string; credential?: { id: string; name: string } } = {},
		) =>
			await restRaw(
				session,
				running.url,
				'POST',
				'/rest/dynamic-node-parameters/resource-locator-results',
				{
					path: `parameters.${parameter}`,
					nodeTypeAndVersion: { name: APSARAMQ_NODE_TYPE, version: 1 },
					currentNodeParameters: parameters,
					methodName,
					credentials: { [CREDENTIAL_TYPE]: options.credential ?? EXAMPLE_CREDENTIAL },
					filter: options.filter,
				},
			);
		const rl = (value: string) => ({ __rl: true, mode: 'list', value });
		const results = (answer: { status: number; body: Record<string, unknown> }) => {
			expect({ status: answer.status, body: answer.status === 200 ? null : answer.body }).toEqual({
				status: 200,
				body: null,
			});
			return (answer.body.data as { results: Array<{ name: string; value: string }> }).results;
		};
		const onsParameters = (instanceId: string, groupId = '') => ({
			operation: 'pushOnsMessage',
			instanceId: rl(instanceId),
			topic: rl(''),
			groupId: rl(groupId),
			clientId: rl(''),
			msgId: '',
		});

		it('searchMqttInstances: every MQTT instance, and the filter', async () => {
			const parameters = { operation: 'sendMqttMessage', instanceId: rl('') };
			expect(results(await search('searchMqttInstances', 'instanceId', parameters))).toEqual([
				{ name: `emulated-mqtt-main (${SEED.mqttInstance})`, value: SEED.mqttInstance },
				{ name: `emulated-mqtt-open (${SEED.mqttOpenInstance})`, value: SEED.mqttOpenInstance },
			]);
			expect(
				results(await search('searchMqttInstances', 'instanceId', parameters, { filter: 'OPEN' })),
			).toEqual([
				{ name: `emulated-mqtt-open (${SEED.mqttOpenInstance})`, value: SEED.mqttOpenInstance },
			]);
			expect(emulator.calls({ action: 'ListInstances', code: 'OK' })).toHaveLength(2);
		});

		it('searchOnsInstances: every ONS instance, and the filter', async () => {
			const parameters = onsParameters('');
			expect(results(await search('searchOnsInstances', 'instanceId', parameters))).toEqual([
				{ name: `emulated-ons-main (${SEED.onsInstance})`, value: SEED.onsInstance },
				{ name: `emulated-ons-second (${SEED.onsSecondInstance})`, value: SEED.onsSecondInstance },
			]);
			expect(
				results(await search('searchOnsInstances', 'instanceId', parameters, { filter: '2222' })),
			).toEqual([
				{ name: `emulated-ons-second (${SEED.onsSecondInstance})`, value: SEED.onsSecondInstance },
			]);
		});

		it('searchOnsTopics: the topics of the chosen instance, and the filter', async () => {
			expect(
				results(await search('searchOnsTopics', 'topic', onsParameters(SEED.onsInstance))),
			).toEqual([
				{ name: 'orders (partition-ordered messages)', value: 'orders' },
				{ name: 'test_topic (normal messages)', value: 'test_topic' },
			]);
			expect(
				results(await search('searchOnsTopics', 'topic', onsParameters(SEED.onsSecondInstance))),
			).toEqual([{ name: 'other_topic', value: 'other_topic' }]);
			expect(
				results(
					await search('searchOnsTopics', 'topic', onsParameters(SEED.onsInstance), {
						filter: 'normal',
					}),
				),
			).toEqual([{ name: 'test_topic (normal messages)', value: 'test_topic' }]);
			expect(
				emulator.calls({ action: 'OnsTopicList' }).map((call) => call.params?.InstanceId),
			).toEqual([SEED.onsInstance, SEED.onsSecondInstance, SEED.onsInstance]);
		});

		it('searchOnsGroups: the (TCP) groups of the chosen instance, and the filter', async () => {
			expect(
				results(await search('searchOnsGroups', 'groupId', onsParameters(SEED.onsInstance))),
			).toEqual([
				{ name: 'GID_offline_group (no consumer online)', value: SEED.offlineGroup },
				{ name: 'GID_test_group_id (three online consumers)', value: SEED.onlineGroup },
			]);
			expect(
				results(await search('searchOnsGroups', 'groupId', onsParameters(SEED.onsSecondInstance))),
			).toEqual([{ name: SEED.otherGroup, value: SEED.otherGroup }]);
			expect(
				results(
					await search('searchOnsGroups', 'groupId', onsParameters(SEED.onsInstance), {
						filter: 'offline',
					}),
				),
			).toEqual([{ name: 'GID_offline_group (no consumer online)', value: SEED.offlineGroup }]);
		});

		it('searchOnsClients: the consumers online in the chosen group, the filter, and "no consumer online"', async () => {
			const clients = results(
				await search(
					'searchOnsClients',
					'clientId',
					onsParameters(SEED.onsInstance, SEED.onlineGroup),
				),
			);
			expect(clients.map((c) => c.value).sort()).toEqual(
				SEED.consumers.map((c) => c.clientId).sort(),
			);
			for (const consumer of SEED.consumers) {
				expect(clients).toContainEqual({
					name: `${consumer.clientId.split('#')[0]}#… (${consumer.language} ${consumer.version})`,
					value: consumer.clientId,
				});
			}
			expect(
				results(
					await search(
						'searchOnsClients',
						'clientId',
						onsParameters(SEED.onsInstance, SEED.onlineGroup),
						{
							filter: 'cpp',
						},
					),
				),
			).toEqual([
				{
					name: '10.0.0.12@3142#… (CPP V1_1_3)',
					value: SEED.consumers[2].clientId,
				},
			]);
			expect(
				emulator.calls({ action: 'OnsConsumerGetConnection' }).map((call) => call.params?.GroupId),
			).toEqual([SEED.onlineGroup, SEED.onlineGroup]);

			const offline = await search(
				'searchOnsClients',
				'clientId',
				onsParameters(SEED.onsInstance, SEED.offlineGroup),
			);
			expect(offline.status).toBeGreaterThanOrEqual(400);
			const offlineMessage = String(offline.body.message);
			expect(offlineMessage).toContain(SEED.offlineGroup);
			expect(offlineMessage).toBe(
				`No consumer of group ${SEED.offlineGroup} is online now. Start a consumer of the group, or type the client ID.`,
			);
			expect(emulator.calls({ action: 'OnsConsumerGetConnection' }).at(-1)).toMatchObject({
				code: 'BIZ_CONSUMER_NOT_ONLINE',
				params: expect.objectContaining({ GroupId: SEED.offlineGroup }),
			});
		});

		it('an AccessKey without ONS permission: the ONS list names the RAM permission; the MQTT list still works', async () => {
			const denied = await search('searchOnsInstances', 'instanceId', onsParameters(''), {
				credential: MQTT_ONLY_CREDENTIAL,
			});
			expect(denied.status).toBeGreaterThanOrEqual(400);
			const message = String(denied.body.message);
			expect(message).toMatch(/^OnsInstanceInServiceList failed: Forbidden\.RAM: /);
			expect(message).toContain('mq:QueryInstanceBaseInfo');
			expect(message).not.toContain('..');
			expect(emulator.calls({ action: 'OnsInstanceInServiceList' })).toEqual([
				expect.objectContaining({
					code: 'Forbidden.RAM',
					status: 403,
					accessKeyId: SEED.mqttOnly.accessKeyId,
				}),
			]);

			const allowed = await search(
				'searchMqttInstances',
				'instanceId',
				{ operation: 'sendMqttMessage', instanceId: rl('') },
				{ credential: MQTT_ONLY_CREDENTIAL },
			);
			expect(results(allowed).map((r) => r.value)).toEqual([
				SEED.mqttInstance,
				SEED.mqttOpenInstance,
			]);
		});
	});

	describe('the credential test (POST /rest/credentials/test)', () => {
		const test = async (credential: { id: string; name: string }, data: CredentialData) =>
			await session.rest<{ status: string; message: string }>('POST', '/rest/credentials/test', {
				credentials: { ...credential, type: CREDENTIAL_TYPE, data },
			});

		it('a working AccessKey (V3 and V2) and STS credentials pass', async () => {
			for (const signatureVersion of ['v3', 'v2'] as const) {
				expect(
					await test(
						EXAMPLE_CREDENTIAL,
						emulatorCredentialData(emulator.url, { signatureVersion }),
					),
				).toEqual({ status: 'OK', message: expect.any(String) });
			}
			expect(
				await test(
					STS_CREDENTIAL,
					emulatorCredentialData(emulator.url, { ...SEED.sts, temporaryCredentials: true }),
				),
			).toMatchObject({ status: 'OK' });
			expect(
				emulator.calls().map((call) => [call.action, call.code, call.signatureVersion]),
			).toEqual([
				['GetCallerIdentity', 'OK', 'v3'],
				['GetCallerIdentity', 'OK', 'v2'],
				['GetCallerIdentity', 'OK', 'v3'],
			]);
		});

		it('a wrong AccessKey ID and a wrong secret fail with different, helpful messages', async () => {
			const wrongId = await test(
				EXAMPLE_CREDENTIAL,
				emulatorCredentialData(emulator.url, { accessKeyId: 'LTAI5tNoSuchKey000000' }),
			);
			const wrongSecret = await test(
				EXAMPLE_CREDENTIAL,
				emulatorCredentialData(emulator.url, { accessKeySecret: 'not-the-secret' }),
			);
			expect(wrongId.status).toBe('Error');
			expect(wrongId.message).toMatch(/does not know this AccessKey ID/);
			expect(wrongSecret.status).toBe('Error');
			expect(wrongSecret.message).toMatch(/AccessKey Secret is wrong/);
			expect(wrongSecret.message).not.toBe(wrongId.message);
			expect(wrongSecret.message).not.toContain('not-the-secret');
			expect(emulator.calls().map((call) => call.code)).toEqual([
				'InvalidAccessKeyId.NotFound',
				'SignatureDoesNotMatch',
			]);
		});
	});
});
