// `npm start`: a ready-to-use local playground (`npm run start -- --queue`: the same in n8n's queue
// mode, startQueue.ts). Starts the ApsaraMQ emulator and its MQTT broker, and
// n8n 2.41.1 with this package, a credential pointing at the emulator, both example workflows (the
// webhook one published and live) and an owner account to log in with. Prints where everything is,
// then shows every message the emulator delivers until Ctrl-C, which stops and deletes it all.
//
// Ports (environment): APSARAMQ_DEMO_N8N_PORT (5678), APSARAMQ_DEMO_EMULATOR_PORT (18080),
// APSARAMQ_DEMO_MQTT_PORT (18830).
import { EXAMPLE_CREDENTIAL, EXAMPLES, subscribeMqtt } from '../e2e/harness/apsaramq';
import type { RunningN8n } from '../e2e/harness/instance';
import { DEVICE_ONBOARDING, TOKEN_SERVER } from '../e2e/harness/mqttAccessExamples';
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

/** The URLs of the webhook example: production (published) and test (what the editor waits for). */
export function webhookUrls(n8nUrl: string): { production: string; test: string } {
	const webhookPath = EXAMPLES.webhook.webhookPath;
	return {
		production: `${n8nUrl}/webhook/${webhookPath}`,
		test: `${n8nUrl}/webhook-test/${webhookPath}`,
	};
}

function curlPost(url: string, body: string): string {
	return `curl -X POST ${url} -H 'content-type: application/json' -d '${body}'`;
}

export interface BannerFacts {
	n8nUrl: string;
	/** How long the start took. */
	seconds: number;
	emulatorUrl: string;
	mqttUrl: string;
	mqttPort: number;
	csvPath: string;
	filesDir: string;
}

/** What `npm start` prints once everything runs. */
export function bannerLines(facts: BannerFacts): string[] {
	const url = facts.n8nUrl;
	const webhook = webhookUrls(url);
	const good = '{"device":"42","temperature":21.5}';
	return [
		'',
		`The ApsaraMQ playground is ready (in ${facts.seconds} s).`,
		'',
		`  n8n editor     ${url}`,
		`                 log in as ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`,
		`  workflows      ${url}/workflow/${EXAMPLES.webhook.id}   webhook → MQTT (published, live)`,
		`                 ${url}/workflow/${EXAMPLES.spreadsheet.id}   spreadsheet → ONS pushes (open it, click "Execute workflow")`,
		`                 ${url}/workflow/${TOKEN_SERVER.id}   MQTT token server (published, live)`,
		`                 ${url}/workflow/${DEVICE_ONBOARDING.id}   CSV → MQTT device credentials (open it, click "Execute workflow")`,
		`  credential     "${EXAMPLE_CREDENTIAL.name}": AccessKey testid, custom endpoint ${facts.emulatorUrl}`,
		`  CSV file       ${facts.csvPath}`,
		`                 (n8n may read files only in N8N_RESTRICT_FILE_ACCESS_TO=${facts.filesDir})`,
		'',
		`  emulator       ${facts.emulatorUrl}  (local stand-in for the Alibaba Cloud OpenAPI)`,
		`    MQTT messages  ${facts.emulatorUrl}/__emulator/mqtt`,
		`    ONS pushes     ${facts.emulatorUrl}/__emulator/ons`,
		`    API calls      ${facts.emulatorUrl}/__emulator/calls`,
		`    counters       ${facts.emulatorUrl}/__emulator/counters`,
		`  MQTT broker    ${facts.mqttUrl}`,
		`    subscribe:     npx mqtt sub -h 127.0.0.1 -p ${facts.mqttPort} -t 'TopicA/#' -v`,
		'',
		'  Trigger the webhook workflow:',
		`    production URL ${webhook.production}  (published: always listening)`,
		`      ${curlPost(webhook.production, good)}`,
		`      ${curlPost(webhook.production, '{"device":"4+2"}')}   (refused: 400 with the error)`,
		`    test URL       ${webhook.test}  (listens for one call after "Execute workflow" or "Execute step" in the editor)`,
		`      ${curlPost(webhook.test, good)}`,
		'',
		'  Ask the token server for an MQTT token, then log in with its connect values:',
		`      ${curlPost(`${url}/webhook/${TOKEN_SERVER.webhookPath}`, '{"device":"42"}')}`,
		'',
		'Messages the emulator delivers appear below. Press Ctrl-C to stop everything.',
		'',
	];
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

		for (const line of bannerLines({
			n8nUrl: running.url,
			seconds: Math.round((Date.now() - started) / 1000),
			emulatorUrl: emulator.url,
			mqttUrl: emulator.mqttUrl,
			mqttPort: emulator.mqttPort,
			csvPath: env.csvPath,
			filesDir: env.filesDir,
		})) {
			log(line);
		}

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

/** `npm start` runs the playground; `npm run start -- --queue` its queue-mode variant (startQueue.ts). */
export function playgroundOf(args: string[]): 'single' | 'queue' {
	const unknown = args.filter((arg) => arg !== '--queue');
	if (unknown.length > 0) {
		throw new Error(
			`unknown option ${unknown.join(' ')}: npm start takes only --queue (npm run start -- --queue)`,
		);
	}
	return args.includes('--queue') ? 'queue' : 'single';
}

// Run only as `npm start`; the browser test imports the banner and the owner from here.
if (require.main === module) {
	try {
		// startQueue.ts starts its playground when loaded
		if (playgroundOf(process.argv.slice(2)) === 'queue') void import('./startQueue');
		else void main();
	} catch (error) {
		console.error((error as Error).message);
		process.exitCode = 2;
	}
}
