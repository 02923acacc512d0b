// `npm start`: a ready-to-use local playground. Starts the ApsaraMQ emulator and its MQTT broker, and
// n8n 2.41.1 with this package, a credential pointing at the emulator, both example workflows (the
// webhook one published and live) and an owner account to log in with. Prints where everything is,
// then shows every message the emulator delivers until Ctrl-C, which stops and deletes it all.
//
// Ports (environment): APSARAMQ_DEMO_N8N_PORT (5678), APSARAMQ_DEMO_EMULATOR_PORT (18080),
// APSARAMQ_DEMO_MQTT_PORT (18830).
import { EXAMPLE_CREDENTIAL, EXAMPLES, subscribeMqtt } from '../e2e/harness/apsaramq';
import type { RunningN8n } from '../e2e/harness/instance';
import { assertPortFree, Cleanup, portFromEnv, prepareEnvironment, short } from './environment';

export const DEMO_OWNER = {
	email: 'demo@example.com',
	firstName: 'Demo',
	lastName: 'User',
	password: 'Demo-Passw0rd',
};

const log = (line = '') => console.log(line);
const time = () => new Date().toISOString().slice(11, 19);

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function main(): Promise<void> {
	const cleanup = new Cleanup();
	let stopping = false;
	const stop = async (code: number, why?: string) => {
		if (stopping) return;
		stopping = true;
		if (why) log(`\n${why}`);
		log('Stopping n8n, the emulator and its MQTT broker, and deleting the temporary folders …');
		await cleanup.run();
		log('Stopped.');
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	try {
		const n8nPort = portFromEnv('APSARAMQ_DEMO_N8N_PORT', 5678);
		const emulatorPort = portFromEnv('APSARAMQ_DEMO_EMULATOR_PORT', 18080);
		const mqttPort = portFromEnv('APSARAMQ_DEMO_MQTT_PORT', 18830);
		await assertPortFree(n8nPort, 'n8n', 'APSARAMQ_DEMO_N8N_PORT');
		await assertPortFree(emulatorPort, 'ApsaraMQ emulator', 'APSARAMQ_DEMO_EMULATOR_PORT');
		await assertPortFree(mqttPort, 'MQTT broker', 'APSARAMQ_DEMO_MQTT_PORT');

		const started = Date.now();
		const env = await prepareEnvironment(cleanup, { n8nPort, emulatorPort, mqttPort, log });
		const { emulator, n8n } = env;

		log('Starting n8n (about 20 s) …');
		const running: RunningN8n = await n8n.start({ timeoutMs: 180_000 });
		cleanup.add(async () => {
			await running.stop();
		});
		await n8n.createOwnerAndLogin(running.url, DEMO_OWNER);

		// Show what the emulator delivers: MQTT messages as a real subscriber sees them, ONS pushes
		// as the consumers would get them.
		const subscriber = await subscribeMqtt(emulator.mqttUrl, '#');
		cleanup.add(() => subscriber.close());
		subscriber.client.on('message', (topic, payload) => {
			const text = payload.toString('utf8');
			log(
				`${time()} [MQTT subscriber] ${topic}  ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`,
			);
		});
		emulator.events.on(
			'ons',
			(delivery: {
				clientId: string;
				groupId: string;
				sourceMsgId: string;
				topic: string;
				msgId: string;
			}) => {
				log(
					`${time()} [ONS consumer] ${short(delivery.clientId, 12)} (${delivery.groupId}) got message ${delivery.sourceMsgId} of ${delivery.topic}, pushed as ${delivery.msgId}`,
				);
			},
		);
		emulator.events.on(
			'call',
			(call: { action: string | null; code: string | null; signatureVersion: string | null }) => {
				if (call.code !== 'OK') {
					log(`${time()} [emulator] ${call.action ?? '?'} answered ${call.code ?? 'no answer'}`);
				}
			},
		);

		const url = running.url;
		const curl = `curl -X POST ${url}/webhook/${EXAMPLES.webhook.webhookPath} -H 'content-type: application/json' -d '{"device":"42","temperature":21.5}'`;
		log('');
		log(`The ApsaraMQ playground is ready (in ${Math.round((Date.now() - started) / 1000)} s).`);
		log('');
		log(`  n8n editor     ${url}`);
		log(`                 log in as ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`);
		log(
			`  workflows      ${url}/workflow/${EXAMPLES.webhook.id}   webhook → MQTT (published, live)`,
		);
		log(
			`                 ${url}/workflow/${EXAMPLES.spreadsheet.id}   spreadsheet → ONS pushes (open it, click "Execute workflow")`,
		);
		log(
			`  credential     "${EXAMPLE_CREDENTIAL.name}": AccessKey testid, custom endpoint ${emulator.url}`,
		);
		log(`  CSV file       ${env.csvPath}`);
		log(
			`                 (n8n may read files only in N8N_RESTRICT_FILE_ACCESS_TO=${env.filesDir})`,
		);
		log('');
		log(`  emulator       ${emulator.url}  (local stand-in for the Alibaba Cloud OpenAPI)`);
		log(`    MQTT messages  ${emulator.url}/__emulator/mqtt`);
		log(`    ONS pushes     ${emulator.url}/__emulator/ons`);
		log(`    API calls      ${emulator.url}/__emulator/calls`);
		log(`    counters       ${emulator.url}/__emulator/counters`);
		log(`  MQTT broker    ${emulator.mqttUrl}`);
		log(`    subscribe:     npx mqtt sub -h 127.0.0.1 -p ${emulator.mqttPort} -t 'TopicA/#' -v`);
		log('');
		log('  Trigger the webhook workflow:');
		log(`    ${curl}`);
		log('');
		log('Messages the emulator delivers appear below. Press Ctrl-C to stop everything.');
		log('');

		// If n8n dies on its own, say so and clean up.
		const watchdog = setInterval(() => {
			if (!isAlive(running.pid)) {
				clearInterval(watchdog);
				const output = running.output();
				void stop(1, `n8n stopped unexpectedly. Its last output:\n${output.slice(-3000)}`);
			}
		}, 2000);
		cleanup.add(() => clearInterval(watchdog));
	} catch (error) {
		console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
		await stop(1);
	}
}

void main();
