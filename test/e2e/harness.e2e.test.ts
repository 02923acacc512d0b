import { rmSync } from 'node:fs';

import {
	chainWorkflow,
	createDummyPackage,
	createN8nInstance,
	DUMMY_CREDENTIAL_TYPE,
	DUMMY_NODE_TYPE,
	itemsNode,
	manualTrigger,
	nodeOutputs,
	resourceLocatorResults,
	startRecordingServer,
	webhookTrigger,
	type N8nInstance,
	type RecordingServer,
} from './harness';

const CREDENTIAL = { id: 'e2eDummyCred0001', name: 'Dummy cred' };

describe('real n8n harness (dummy community package)', () => {
	let packageDir: string;
	let n8n: N8nInstance;
	let server: RecordingServer;

	beforeAll(async () => {
		packageDir = createDummyPackage();
		server = await startRecordingServer();
		n8n = await createN8nInstance({ packageDir });
		await n8n.importCredentials([
			{
				...CREDENTIAL,
				type: DUMMY_CREDENTIAL_TYPE,
				data: { token: 'tok-123', extraHeaders: '{"x-extra":"from-authenticate"}' },
			},
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await server?.close();
		if (packageDir) rmSync(packageDir, { recursive: true, force: true });
	});

	it('executes Manual Trigger → Code (N items) → dummy node, which calls a local server with the credential', async () => {
		const workflow = chainWorkflow('e2eHarnessWf0001', [
			manualTrigger(),
			itemsNode('Items', 3),
			{
				name: 'Call',
				type: DUMMY_NODE_TYPE,
				parameters: {
					operation: 'request',
					requestOptions: `={{ JSON.stringify({ url: '${server.url}/echo/' + $json.i, method: 'POST', body: { text: $json.text }, json: true }) }}`,
				},
				credentials: { [DUMMY_CREDENTIAL_TYPE]: CREDENTIAL },
			},
		]);
		await n8n.importWorkflow(workflow);
		server.requests.length = 0;
		server.respond((req) => ({
			status: 200,
			body: { echoed: req.url, got: JSON.parse(req.body.toString()) },
		}));

		const run = await n8n.execute('e2eHarnessWf0001', { measureRss: true });

		expect(run.exitCode).toBe(0);
		// memory of the `n8n execute` process: exact (getrusage at exit) and polled (VmHWM)
		expect(run.rss?.mainMaxRssKb).toBeGreaterThan(100 * 1024);
		expect(run.rss?.rootPeakKb).toBeGreaterThan(100 * 1024);
		// the two ways agree (VmHWM and ru_maxrss are counted slightly differently)
		expect(Math.abs((run.rss?.rootPeakKb ?? 0) / (run.rss?.mainMaxRssKb ?? 1) - 1)).toBeLessThan(
			0.05,
		);
		expect(run.rss?.treePeakKb).toBeGreaterThanOrEqual(run.rss?.rootPeakKb ?? 0);
		console.log(
			`n8n execute: ${run.durationMs} ms, main process peak RSS ${Math.round((run.rss?.mainMaxRssKb ?? 0) / 1024)} MiB, ` +
				`tree peak ${Math.round((run.rss?.treePeakKb ?? 0) / 1024)} MiB over ${run.rss?.processes.length} processes`,
		);
		expect(nodeOutputs(run.result, 'Items')[0]).toHaveLength(3);
		expect(nodeOutputs(run.result, 'Call')[0]).toEqual(
			[0, 1, 2].map((i) => ({
				item: i,
				response: { echoed: `/echo/${i}`, got: { text: `item-${i}` } },
			})),
		);
		expect(server.requests.map((r) => r.url).sort()).toEqual(['/echo/0', '/echo/1', '/echo/2']);
		for (const request of server.requests) {
			expect(request.method).toBe('POST');
			expect(request.headers['x-dummy-token']).toBe('tok-123');
			expect(request.headers['x-extra']).toBe('from-authenticate');
		}
	});

	it('serves a published webhook workflow from `n8n start`, and answers list searches over REST', async () => {
		const workflow = chainWorkflow('e2eHarnessWh0001', [
			webhookTrigger('e2e-hook'),
			{
				name: 'Call',
				type: DUMMY_NODE_TYPE,
				parameters: {
					operation: 'request',
					requestOptions: `={{ JSON.stringify({ url: '${server.url}/from-webhook', method: 'POST', body: $json.body, json: true }) }}`,
				},
				credentials: { [DUMMY_CREDENTIAL_TYPE]: CREDENTIAL },
			},
		]);
		await n8n.importWorkflow(workflow);
		await n8n.publishWorkflow('e2eHarnessWh0001');
		server.requests.length = 0;
		server.respond((req) => ({ status: 200, body: { seen: JSON.parse(req.body.toString()) } }));

		const running = await n8n.start();
		try {
			const response = await fetch(`${running.url}/webhook/e2e-hook`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ msg: 'x' }),
			});
			expect({
				status: response.status,
				log: response.status === 200 ? '' : running.output(),
			}).toEqual({
				status: 200,
				log: '',
			});
			expect(await response.json()).toEqual({ response: { seen: { msg: 'x' } }, item: 0 });
			expect(server.requests).toHaveLength(1);
			expect(server.requests[0].headers['x-dummy-token']).toBe('tok-123');

			const session = await n8n.createOwnerAndLogin();
			const found = await resourceLocatorResults(session, {
				nodeType: DUMMY_NODE_TYPE,
				nodeVersion: 1,
				methodName: 'searchThings',
				path: 'parameters.thing',
				currentNodeParameters: {
					operation: 'request',
					thing: { __rl: true, mode: 'list', value: '' },
				},
				credentials: { [DUMMY_CREDENTIAL_TYPE]: CREDENTIAL },
				filter: 'ta',
			});
			expect(found).toEqual({
				results: [
					{ name: 'BETA (tok-123)', value: 'beta' },
					{ name: 'DELTA (tok-123)', value: 'delta' },
				],
				paginationToken: 'page2',
			});
			// offline: nothing tried to reach the Internet
			expect(running.output()).not.toMatch(/ENOTFOUND|EAI_AGAIN|getaddrinfo/);
		} finally {
			const status = await running.stop();
			expect(status.signal ?? status.exitCode).toBeDefined();
		}
	});
});
