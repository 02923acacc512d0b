// The n8n editor in a real browser, as a person uses it on the `npm start` playground (the same
// environment: emulator, n8n 2.41.1, the credential, both example workflows, the owner account):
// log in, open each example workflow and its ApsaraMQ node, pick from every list, test the
// credential with the right and a wrong secret, execute both workflows, and check the page's text.
// Debian's Chromium (installed by test/e2e/install-chromium.sh when missing) driven by
// puppeteer-core. Screenshots of every step: test/e2e/screenshots/ (git-ignored).
import type { Browser, Page } from 'puppeteer-core';

import { Cleanup, prepareEnvironment, type DemoEnvironment } from '../demo/environment';
import { bannerLines, DEMO_OWNER, webhookUrls } from '../demo/start';
import { EXAMPLES, SEED, readSimpleCsv } from './harness/apsaramq';
import { ensureChromium, launchChromium, Screenshots, waitForText } from './harness/browser';
import { Editor } from './harness/editor';
import { freePort, type RunningN8n } from './harness/instance';

const STEP_TIMEOUT = 5 * 60_000;

const MQTT_INSTANCES = [
	'emulated-mqtt-main (post-cn-0pp12gl0001)',
	'emulated-mqtt-open (mqtt-cn-4xl3g0a0002)',
];
const ONS_INSTANCES = [
	'emulated-ons-main (MQ_INST_111111111111_DOxxxxxx)',
	'emulated-ons-second (MQ_INST_222222222222_DOyyyyyy)',
];
const TOPICS = ['orders (partition-ordered messages)', 'test_topic (normal messages)'];
const GROUPS = [
	'GID_offline_group (no consumer online)',
	'GID_test_group_id (three online consumers)',
];
const CLIENTS = [
	'10.0.0.12@3142#… (CPP V1_1_3)',
	'30.5.121.7@24813#… (JAVA V4_3_6)',
	'30.5.121.8@24900#… (JAVA V4_3_6)',
];

async function postJson(
	url: string,
	body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls `condition` (something outside the page) every 100 ms, for at most `timeoutMs`. */
async function waitUntil(
	condition: () => boolean,
	what: string,
	timeoutMs = 60_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

describe('the n8n editor in Chromium, on the npm start playground', () => {
	const cleanup = new Cleanup();
	let env: DemoEnvironment;
	let running: RunningN8n;
	let page: Page;
	let editor: Editor;
	let shots: Screenshots;

	beforeAll(async () => {
		// First, so that a machine without Chromium fails at once, saying what to do.
		const chromium = await ensureChromium();
		env = await prepareEnvironment(cleanup, { n8nPort: await freePort() });
		running = await env.n8n.start({ timeoutMs: 180_000 });
		cleanup.add(async () => {
			await running.stop();
		});
		await env.n8n.createOwnerAndLogin(running.url, DEMO_OWNER);
		const browser: Browser = await launchChromium(chromium);
		cleanup.add(() => browser.close());
		page = await browser.newPage();
		page.setDefaultTimeout(90_000);
		page.setDefaultNavigationTimeout(120_000);
		editor = new Editor(page, running.url);
		shots = new Screenshots();
	}, 15 * 60_000);

	afterAll(async () => {
		await cleanup.run();
	});

	/** A test whose failure leaves a screenshot and the page's HTML next to the others. */
	const step = (name: string, body: () => Promise<void>) =>
		it(
			name,
			async () => {
				await body().catch(async (error: unknown) => {
					await shots?.failure(page, name).catch(() => undefined);
					throw error;
				});
			},
			STEP_TIMEOUT,
		);

	step('logs in with the owner account the npm start banner prints', async () => {
		const banner = bannerLines({
			n8nUrl: running.url,
			seconds: 0,
			emulatorUrl: env.emulator.url,
			mqttUrl: env.emulator.mqttUrl,
			mqttPort: env.emulator.mqttPort,
			csvPath: env.csvPath,
			filesDir: env.filesDir,
		}).join('\n');
		expect(banner).toContain(`log in as ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`);
		expect(banner).toContain(`curl -X POST ${webhookUrls(running.url).production} `);
		expect(banner).toContain(`curl -X POST ${webhookUrls(running.url).test} `);

		await editor.login(DEMO_OWNER.email, DEMO_OWNER.password);
		await waitForText(page, 'ApsaraMQ example: webhook to MQTT');
		await waitForText(page, 'ApsaraMQ example: spreadsheet to ONS pushes');
		await shots.take(page, 'workflows-after-login');
	});

	step('webhook example: the MQTT instance can be picked from its list', async () => {
		await editor.openWorkflow(EXAMPLES.webhook.id, [
			'Webhook',
			EXAMPLES.webhook.sendNode,
			'Answer with the message ID',
			'Answer with the error',
		]);
		await waitForText(page, '/webhook-test/apsaramq-demo', '[data-test-id="sticky"]');
		await shots.take(page, 'webhook-workflow');

		await editor.openNode(EXAMPLES.webhook.sendNode);
		await editor.openList('instanceId');
		expect(await editor.waitForEntries(MQTT_INSTANCES)).toHaveLength(2);
		expect(await editor.entriesCutOff()).toEqual([]);
		await shots.take(page, 'webhook-mqtt-instance-list');
		await editor.choose('post-cn-0pp12gl0001');
		expect((await editor.field('instanceId')).text).toBe(MQTT_INSTANCES[0]);
		await editor.closeNode();
	});

	step(
		'webhook example: "Execute workflow" listens on the test URL; a good body shows its msgId, a refused one the error branch',
		async () => {
			const { test } = webhookUrls(running.url);
			expect(await editor.executeWorkflow()).toEqual({ waitingForWebhook: true });
			await waitForText(page, 'Waiting for you to call the Test URL');
			await shots.take(page, 'webhook-waiting-for-test-call');
			const sent = await postJson(test, { device: 'browser-1', temperature: 21.5 });
			expect(sent.status).toBe(200);
			const msgId = String(sent.body.msgId);
			expect(msgId).toMatch(/^[0-9A-F]{32}$/);
			await editor.waitForNodeSuccess('Answer with the message ID');
			await shots.take(page, 'webhook-executed');
			await editor.openNode(EXAMPLES.webhook.sendNode);
			const output = await editor.outputText({ branch: 'Success Branch' });
			expect(output).toContain(msgId);
			expect(output).toContain('TopicA/devices/browser-1');
			await shots.take(page, 'webhook-output-msgid');
			await editor.closeNode();

			expect(await editor.executeWorkflow()).toEqual({ waitingForWebhook: true });
			const refused = await postJson(test, { device: '4+2' });
			expect(refused.status).toBe(400);
			expect(refused.body.error).toBe(
				'Invalid parameter: "MQTT Topic" must not contain the wildcards + or # (they are only for subscribing)',
			);
			await editor.waitForNodeSuccess('Answer with the error');
			await editor.openNode(EXAMPLES.webhook.sendNode);
			const errorBranch = await editor.outputText({ branch: 'Error Branch', view: 'json' });
			expect(errorBranch).toContain('MQTT Topic');
			expect(errorBranch).toContain(
				'must not contain the wildcards + or # (they are only for subscribing)',
			);
			await shots.take(page, 'webhook-output-error-branch');
			await editor.closeNode();

			// Only the good body reached ApsaraMQ.
			expect(env.emulator.mqttDeliveries().map((delivery) => delivery.msgId)).toEqual([msgId]);
		},
	);

	step(
		'spreadsheet example: "Execute workflow" pushes one message per CSV row and shows the pushes',
		async () => {
			const pushNode = EXAMPLES.spreadsheet.pushNode;
			await editor.openWorkflow(EXAMPLES.spreadsheet.id, [
				'Start',
				EXAMPLES.spreadsheet.readNode,
				EXAMPLES.spreadsheet.extractNode,
				pushNode,
			]);
			const rows = readSimpleCsv(env.csvPath);
			expect(await editor.executeWorkflow()).toEqual({ executionId: expect.any(String) });
			await editor.waitForNodeSuccess(pushNode);
			expect(await editor.edgeLabels()).toContain(`${rows.length} items`);
			await shots.take(page, 'spreadsheet-executed');

			const pushes = env.emulator.onsDeliveries();
			expect(pushes.map((push) => push.clientId)).toEqual(rows.map((row) => row.clientId));
			await editor.openNode(pushNode);
			const output = await editor.outputText();
			expect(output).toContain(`${rows.length} items`);
			for (const push of pushes) expect(output).toContain(push.requestId);
			await shots.take(page, 'spreadsheet-output');
		},
	);

	step(
		'spreadsheet example: instance, topic, group and client ID are picked from their lists, and the client entries read whole',
		async () => {
			await editor.openList('instanceId');
			await editor.waitForEntries(ONS_INSTANCES);
			await editor.choose(SEED.onsInstance);

			await editor.openList('topic');
			await editor.waitForEntries(TOPICS);
			await editor.choose('test_topic');
			expect((await editor.field('topic')).text).toBe('test_topic (normal messages)');

			await editor.openList('groupId');
			await editor.waitForEntries(GROUPS);
			await editor.choose(SEED.offlineGroup);
			await editor.openList('clientId');
			expect(await editor.listError()).toBe(
				`No consumer of group ${SEED.offlineGroup} is online now. Start a consumer of the group, or type the client ID.`,
			);
			await shots.take(page, 'spreadsheet-client-list-offline-group');
			await editor.closeList();

			await editor.openList('groupId');
			await editor.waitForEntries(GROUPS);
			await editor.choose(SEED.onlineGroup);
			await editor.openList('clientId');
			expect(await editor.waitForEntries(CLIENTS)).toHaveLength(3);
			expect(await editor.entriesCutOff()).toEqual([]);
			await shots.take(page, 'spreadsheet-client-list');
			await editor.choose('30.5.121.8@24900');
			expect(await editor.field('clientId')).toEqual({ text: CLIENTS[2], cutOff: false });
			await shots.take(page, 'spreadsheet-all-picked');

			// The entry's value is the whole client ID, as "By ID" shows.
			await editor.switchMode('clientId', 'id');
			expect((await editor.field('clientId')).text).toBe(SEED.consumers[1].clientId);
		},
	);

	step('credential test: the right secret passes, a wrong one shows why it failed', async () => {
		const stsCalls = () => env.emulator.calls({ action: 'GetCallerIdentity' });
		await editor.openCredential();
		// n8n tests a saved credential when its modal opens; then Retry tests it again.
		expect(await editor.credentialTestSucceeded()).toContain('Connection tested successfully');
		const before = stsCalls().length;
		await editor.retryCredentialTest();
		await waitUntil(() => stsCalls().length > before, 'the Retry button to call STS');
		expect(stsCalls().at(-1)?.code).toBe('OK');
		expect(await editor.credentialTestSucceeded()).toContain('Connection tested successfully');
		await shots.take(page, 'credential-test-passed');

		await editor.setCredentialField('accessKeySecret', 'not-the-secret');
		await editor.saveCredential();
		const failure = await editor.credentialTestFailure();
		expect(failure).toContain(
			'The AccessKey ID exists, but the AccessKey Secret is wrong: Alibaba Cloud rejected the signature.',
		);
		expect(failure).not.toContain('not-the-secret');
		expect(stsCalls().at(-1)?.code).toBe('SignatureDoesNotMatch');
		await shots.take(page, 'credential-test-wrong-secret');

		await editor.setCredentialField('accessKeySecret', SEED.key.accessKeySecret);
		await editor.saveCredential();
		expect(await editor.credentialTestSucceeded()).toContain('Connection tested successfully');
		expect(stsCalls().at(-1)?.code).toBe('OK');
		expect(stsCalls().length).toBe(before + 3);
		await shots.take(page, 'credential-test-right-secret-again');
		await editor.closeCredential();
		await editor.closeNode();
	});
});
