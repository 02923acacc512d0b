/**
 * Forwarding MQTT messages into RocketMQ: a real mqtt.js client and SendMessage publish on a
 * forwarded parent topic; Alibaba's RocketMQ HTTP SDK consumes what arrives.
 */
import mqtt from 'mqtt';

import { createEmulator, type Emulator } from './emulator';
import { defaultSeed } from './seed';
import { sdkClient } from './mqHttp/sdk-client';
import { closeAgent, signedCall, until, VERSIONS } from './test-helpers';

const ONS = 'MQ_INST_111111111111_DOxxxxxx';
const RULE = { mqttTopic: 'devices', instanceId: ONS, topic: 'test_topic' };

let emu: Emulator;

beforeAll(async () => {
	emu = await createEmulator({ seed: { ...defaultSeed(), forwarding: [RULE] } });
});
afterAll(async () => {
	await emu.close();
	closeAgent();
});

const consume = () =>
	sdkClient(emu.url).getConsumer(ONS, 'test_topic', 'GID_http_group').consumeMessage(16, 5);

it('copies a message an MQTT client publishes into the RocketMQ topic, with the documented properties', async () => {
	const client = await mqtt.connectAsync(emu.mqttUrl, {
		clientId: 'GID_mqtt_devices@@@sensor-1',
		reconnectPeriod: 0,
	});
	try {
		const poll = consume();
		await client.publishAsync('devices/sensor-1/temp', '{"t":21.5}', { qos: 1 });
		const { body } = await poll;
		expect(body).toHaveLength(1);
		expect(body[0].MessageBody).toBe('{"t":21.5}');
		const [stored] = emu.rocketMqMessages({ topic: 'test_topic' }).filter((m) => m.publishTime);
		expect(stored.properties).toEqual({
			qoslevel: '1',
			topic: 'devices/sensor-1/temp',
			mqttSecondTopic: '/sensor-1/temp',
			clientId: 'GID_mqtt_devices@@@sensor-1',
			cleansessionflag: 'true',
		});
	} finally {
		await client.endAsync(true);
	}
});

it('forwards SendMessage too, and only topics with a rule', async () => {
	const send = (MqttTopic: string) =>
		signedCall(emu.url, {
			version: VERSIONS.onsmqtt,
			action: 'SendMessage',
			params: { InstanceId: 'post-cn-0pp12gl0001', MqttTopic, Payload: `to ${MqttTopic}` },
		});
	expect((await send('TopicA/x')).status).toBe(200);
	expect((await send('devices')).status).toBe(200);
	await until(
		() => emu.rocketMqMessages({ topic: 'test_topic' }).filter((m) => m.publishTime).length === 2,
	);
	const forwarded = emu
		.rocketMqMessages({ topic: 'test_topic' })
		.filter((m) => m.publishTime)
		.at(-1);
	expect(forwarded).toMatchObject({
		body: 'to devices',
		properties: { qoslevel: '1', topic: 'devices' },
	});
	expect(forwarded?.properties).not.toHaveProperty('mqttSecondTopic');
});

it('setForwarding replaces the rules; reset restores the seed rules', async () => {
	emu.setForwarding([]);
	expect(emu.forwarding()).toEqual([]);
	expect(() => emu.setForwarding([{ mqttTopic: '' } as never])).toThrow(/Invalid forwarding rules/);
	emu.reset();
	expect(emu.forwarding()).toEqual([RULE]);
});
