// Facts about the real n8n 2.41.1 that n8n-nodes-apsaramq relies on (retry logic, error items,
// request fidelity), pinned as assertions against a throwaway dummy community node. If an n8n
// upgrade changes one of them, this file says which. The findings are written up in
// test/e2e/README.md ("What n8n 2.41.1 does").
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
	chainWorkflow,
	codeNode,
	createDummyPackage,
	createN8nInstance,
	DUMMY_CREDENTIAL_TYPE,
	DUMMY_NODE_TYPE,
	fanOutWorkflow,
	freePort,
	manualTrigger,
	nodeOutputs,
	startRecordingServer,
	type N8nInstance,
	type NodeSpec,
	type RecordingServer,
} from './harness';

const CRED = { id: 'e2eFactsCred0001', name: 'Facts cred' };
const HOST_CRED = { id: 'e2eFactsCred0002', name: 'Facts cred with host' };

/** A dummy node that makes one request and outputs the response, or a description of the error. */
function call(
	name: string,
	requestOptions: object,
	credential: { id: string; name: string } = CRED,
): NodeSpec {
	return {
		name,
		type: DUMMY_NODE_TYPE,
		parameters: {
			operation: 'request',
			requestOptions: JSON.stringify(requestOptions),
			captureError: true,
		},
		credentials: { [DUMMY_CREDENTIAL_TYPE]: credential },
	};
}

interface Described {
	class: string;
	message: string;
	code?: string | number;
	httpCode?: string | null;
	description?: string | null;
	status?: number;
	context?: Record<string, unknown>;
	messages?: string[];
	response?: { status: number; data: unknown };
	cause?: Described;
}

interface ProbeFacts {
	sleptMs: number;
	nodePath: string;
	pLimit: { resolved: string };
	zod: { requireKeys: string[] };
	[key: string]: unknown;
}

/** A line the dummy node appends to $E2E_DUMMY_LOG. */
interface DummyLogEntry {
	node: string;
	ms?: number;
	sleep?: unknown;
	error?: unknown;
}

function readDummyLog(file: string): DummyLogEntry[] {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.trim()
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as DummyLogEntry);
}

/** The `.code`s along an error's `.cause` chain, outermost first. */
function causeCodes(error: Described | undefined): Array<string | number | undefined> {
	const codes = [];
	for (let e = error; e; e = e.cause) codes.push(e.code);
	return codes;
}

describe('facts about n8n 2.41.1 that the node relies on', () => {
	let n8n: N8nInstance;
	let server: RecordingServer;
	let packageDir: string;
	let work: string;

	beforeAll(async () => {
		packageDir = createDummyPackage();
		work = mkdtempSync(path.join(os.tmpdir(), 'n8n-facts-'));
		server = await startRecordingServer((req) => {
			const route = req.url.split('?')[0];
			if (route === '/reset') return { reset: true };
			if (route === '/close') return { close: true };
			if (route === '/hang') return { hang: true };
			if (route === '/400') {
				return {
					status: 400,
					headers: { 'X-Acs-Request-Id': 'REQ-400' },
					body: { Code: 'InvalidParameter', Message: 'bad', RequestId: 'REQ-400' },
				};
			}
			if (route === '/500') {
				return {
					status: 500,
					headers: { 'X-Acs-Request-Id': 'REQ-500' },
					body: { Code: 'InternalError', Message: 'oops', RequestId: 'REQ-500' },
				};
			}
			if (route === '/503text') return { status: 503, body: 'Service Unavailable' };
			return { status: 200, headers: { 'X-Acs-Request-Id': 'REQ-200' }, body: { ok: true } };
		});
		n8n = await createN8nInstance({
			packageDir,
			env: { E2E_DUMMY_LOG: path.join(work, 'dummy.log') },
		});
		await n8n.importCredentials([
			{ ...CRED, type: DUMMY_CREDENTIAL_TYPE, data: { token: 'tok', extraHeaders: '{}' } },
			{
				...HOST_CRED,
				type: DUMMY_CREDENTIAL_TYPE,
				data: {
					token: 'tok2',
					extraHeaders: JSON.stringify({
						host: 'ons.cn-hangzhou.aliyuncs.com',
						'X-Acs-Signature-Nonce': 'AbC-123',
						authorization: 'ACS3-HMAC-SHA256 Credential=x',
					}),
				},
			},
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await server?.close();
		if (packageDir) rmSync(packageDir, { recursive: true, force: true });
		if (work) rmSync(work, { recursive: true, force: true });
	});

	describe('httpRequestWithAuthentication', () => {
		const form = 'Action=OnsMessagePush&Topic=a%2Fb&Value=%E4%BD%A0%E5%A5%BD+x&Empty=&Tilde=~*';
		let out: Record<string, { caught?: Described; response?: unknown }>;

		beforeAll(async () => {
			const closedPort = await freePort();
			const post = (route: string, extra: object = {}) => ({
				url: `${server.url}${route}`,
				method: 'POST',
				...extra,
			});
			const full = { returnFullResponse: true, ignoreHttpStatusErrors: true, json: true };
			const nodes = [
				call('refused', { url: `http://127.0.0.1:${closedPort}/x`, method: 'POST' }),
				call('refusedLocalhost', { url: `http://localhost:${closedPort}/x`, method: 'POST' }),
				call('reset', post('/reset')),
				call('close', post('/close')),
				call('timeout', post('/hang', { timeout: 500 })),
				call('dns', { url: 'http://no-such-host.invalid/x', method: 'POST' }),
				call('full400', post('/400', full)),
				call('full500', post('/500', full)),
				call('full200', post('/200', full)),
				call(
					'full500NoJsonFlag',
					post('/500', { returnFullResponse: true, ignoreHttpStatusErrors: true }),
				),
				call('err400', post('/400', { json: true })),
				call('err500', post('/500', { json: true })),
				call('err503text', post('/503text')),
				call(
					'form',
					post('/form', {
						body: form,
						headers: { 'content-type': 'application/x-www-form-urlencoded' },
					}),
				),
				call(
					'hostHeader',
					post('/host', {
						body: form,
						headers: {
							'content-type': 'application/x-www-form-urlencoded',
							'x-acs-date': '2026-01-01T00:00:00Z',
						},
					}),
					HOST_CRED,
				),
			];
			await n8n.importWorkflow(fanOutWorkflow('e2eFactsWf000001', manualTrigger(), nodes));
			server.requests.length = 0;
			const run = await n8n.execute('e2eFactsWf000001');
			expect(run.exitCode).toBe(0);
			out = Object.fromEntries(
				nodes.map((node) => [node.name, nodeOutputs(run.result, node.name)[0]?.[0] ?? {}]),
			) as typeof out;
		});

		it('a: connection refused → NodeApiError, httpCode ECONNREFUSED, cause AxiosError → Error', () => {
			for (const name of ['refused', 'refusedLocalhost']) {
				const e = out[name].caught;
				expect(e).toMatchObject({
					class: 'NodeApiError',
					message: 'The service refused the connection - perhaps it is offline',
					httpCode: 'ECONNREFUSED',
					cause: {
						class: 'AxiosError',
						code: 'ECONNREFUSED',
						cause: { class: 'Error', code: 'ECONNREFUSED' },
					},
				});
				expect(e?.description).toBeUndefined();
				expect(e?.cause?.message).toMatch(/^connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
			}
		});

		it('a: reset after the request was read → httpCode ECONNRESET ("read ECONNRESET" / "socket hang up")', () => {
			const message =
				'The connection to the server was closed unexpectedly, perhaps it is offline. You can retry the request immediately or wait and retry later.';
			expect(out.reset.caught).toMatchObject({
				class: 'NodeApiError',
				message,
				httpCode: 'ECONNRESET',
				cause: {
					class: 'AxiosError',
					message: 'read ECONNRESET',
					code: 'ECONNRESET',
					cause: { code: 'ECONNRESET' },
				},
			});
			expect(out.close.caught).toMatchObject({
				class: 'NodeApiError',
				message,
				httpCode: 'ECONNRESET',
				cause: {
					class: 'AxiosError',
					message: 'socket hang up',
					code: 'ECONNRESET',
					cause: { code: 'ECONNRESET' },
				},
			});
		});

		it('a: the timeout option → httpCode ECONNABORTED, cause AxiosError "timeout of 500ms exceeded" (no deeper cause)', () => {
			expect(out.timeout.caught).toMatchObject({
				class: 'NodeApiError',
				message: 'The connection was aborted, perhaps the server is offline',
				httpCode: 'ECONNABORTED',
				cause: { class: 'AxiosError', message: 'timeout of 500ms exceeded', code: 'ECONNABORTED' },
			});
			expect(causeCodes(out.timeout.caught)).toEqual([undefined, 'ECONNABORTED']);
		});

		it('a: DNS failure → httpCode ENOTFOUND', () => {
			expect(out.dns.caught).toMatchObject({
				class: 'NodeApiError',
				message:
					'The connection cannot be established, this usually occurs due to an incorrect host (domain) value',
				httpCode: 'ENOTFOUND',
				cause: { class: 'AxiosError', code: 'ENOTFOUND', cause: { code: 'ENOTFOUND' } },
			});
			expect(causeCodes(out.dns.caught)).toEqual([undefined, 'ENOTFOUND', 'ENOTFOUND']);
		});

		it('a: HTTP 4xx/5xx without ignoreHttpStatusErrors → NodeApiError with httpCode "<status>", body in context.data', () => {
			expect(out.err400.caught).toMatchObject({
				class: 'NodeApiError',
				message: 'Bad request - please check your parameters',
				httpCode: '400',
				description: 'Request failed with status code 400',
				messages: ['Request failed with status code 400'],
				context: { data: { Code: 'InvalidParameter', Message: 'bad', RequestId: 'REQ-400' } },
				cause: { class: 'AxiosError', code: 'ERR_BAD_REQUEST', status: 400 },
			});
			expect(out.err500.caught).toMatchObject({
				message: 'The service was not able to process your request',
				httpCode: '500',
				description: 'Request failed with status code 500',
				context: { data: { Code: 'InternalError', Message: 'oops', RequestId: 'REQ-500' } },
				cause: { code: 'ERR_BAD_RESPONSE', status: 500 },
			});
			expect(out.err503text.caught).toMatchObject({
				message:
					'Service unavailable - try again later or consider setting this node to retry automatically (in the node settings)',
				httpCode: '503',
				context: {},
				cause: { code: 'ERR_BAD_RESPONSE', status: 503, response: { data: 'Service Unavailable' } },
			});
		});

		it('b: returnFullResponse + ignoreHttpStatusErrors → { body (parsed JSON), headers (lower-case), statusCode, statusMessage }', () => {
			expect(out.full400.response).toEqual({
				body: { Code: 'InvalidParameter', Message: 'bad', RequestId: 'REQ-400' },
				headers: expect.objectContaining({
					'content-type': 'application/json',
					'x-acs-request-id': 'REQ-400',
				}) as unknown,
				statusCode: 400,
				statusMessage: 'Bad Request',
			});
			expect(out.full500.response).toMatchObject({
				body: { Code: 'InternalError', Message: 'oops', RequestId: 'REQ-500' },
				headers: { 'x-acs-request-id': 'REQ-500' },
				statusCode: 500,
				statusMessage: 'Internal Server Error',
			});
			expect(out.full200.response).toMatchObject({ body: { ok: true }, statusCode: 200 });
			// parsed because of the response's content-type, with or without `json: true`
			expect(out.full500NoJsonFlag.response).toMatchObject({
				body: { Code: 'InternalError', Message: 'oops', RequestId: 'REQ-500' },
				statusCode: 500,
			});
		});

		it('c: a form-urlencoded string body arrives byte for byte; authenticate headers (even host) arrive unchanged', () => {
			const formRequest = server.requests.find((r) => r.url === '/form');
			expect(formRequest?.body.toString('latin1')).toBe(form);
			expect(formRequest?.headers['content-type']).toBe('application/x-www-form-urlencoded');

			const hostRequest = server.requests.find((r) => r.url === '/host');
			expect(hostRequest?.body.toString('latin1')).toBe(form);
			const raw = hostRequest?.rawHeaders ?? [];
			const pairs: Array<[string, string]> = [];
			for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]]);
			expect(pairs).toEqual([
				['Accept', 'application/json, text/plain, */*'],
				['Content-Type', 'application/x-www-form-urlencoded'],
				['x-acs-date', '2026-01-01T00:00:00Z'],
				['x-dummy-token', 'tok2'],
				['host', 'ons.cn-hangzhou.aliyuncs.com'],
				['X-Acs-Signature-Nonce', 'AbC-123'],
				['authorization', 'ACS3-HMAC-SHA256 Credential=x'],
				['User-Agent', 'n8n'],
				['Content-Length', String(Buffer.byteLength(form))],
				['Accept-Encoding', 'gzip, compress, deflate, br'],
				['Connection', 'close'],
			]);
		});
	});

	it('d: SSRF protection is off by default (127.0.0.1 works); N8N_SSRF_PROTECTION_ENABLED=true blocks it', async () => {
		await n8n.importWorkflow(
			fanOutWorkflow('e2eFactsWf000002', manualTrigger(), [
				call('loopback', { url: `${server.url}/200`, method: 'POST' }),
			]),
		);
		const off = await n8n.execute('e2eFactsWf000002');
		expect(nodeOutputs(off.result, 'loopback')[0]).toEqual([{ response: { ok: true }, item: 0 }]);

		const on = await n8n.execute('e2eFactsWf000002', {
			env: { N8N_SSRF_PROTECTION_ENABLED: 'true' },
		});
		// With SSRF protection on, n8n 2.41.1's CLI on Node.js 24 now and then dies of SIGSEGV while
		// it shuts down, after it printed the run data, with nothing on stderr (2 of 8 runs on a
		// 2-core machine). The fact pinned here is in the run data, so a crash after it was printed
		// is accepted; one before it is not (`result` is then undefined).
		const exitedCleanly = on.exitCode === 0;
		const crashedAfterPrinting = on.signal === 'SIGSEGV' && on.result !== undefined;
		expect({ exitCode: on.exitCode, signal: on.signal, crashedAfterPrinting }).toEqual(
			exitedCleanly
				? { exitCode: 0, signal: null, crashedAfterPrinting: false }
				: { exitCode: null, signal: 'SIGSEGV', crashedAfterPrinting: true },
		);
		expect(nodeOutputs(on.result, 'loopback')[0]?.[0]).toMatchObject({
			caught: {
				class: 'NodeApiError',
				message: 'The request was blocked because it resolves to a restricted IP address',
				httpCode: null,
				description: expect.stringContaining('The target 127.0.0.1 is not allowed') as unknown,
				cause: { class: 'SsrfBlockedIpError' },
			},
		});
	});

	it('e/f: cancel signal and sleep exist; p-limit 3 and zod 3.25.76 resolve through n8n', async () => {
		const probe: NodeSpec = {
			name: 'probe',
			type: DUMMY_NODE_TYPE,
			parameters: { operation: 'probe' },
		};
		await n8n.importWorkflow(fanOutWorkflow('e2eFactsWf000003', manualTrigger(), [probe]));
		const run = await n8n.execute('e2eFactsWf000003');
		expect(run.exitCode).toBe(0);
		const facts = nodeOutputs(run.result, 'probe')[0]?.[0] as ProbeFacts;
		expect(facts).toMatchObject({
			nodeVersion: expect.stringMatching(/^v24\./) as unknown,
			hasGetExecutionCancelSignal: 'function',
			hasOnExecutionCancellation: 'function',
			signalClass: 'AbortSignal',
			signalAborted: false,
			sleepArity: 2, // sleep(ms, abortSignal?)
			sleepReturn: 'undefined',
			pLimit: { package: { name: 'p-limit', version: '3.1.0' }, requireType: 'function' },
			zod: { package: { name: 'zod', version: '3.25.76' }, requireType: 'object' },
			n8nWorkflow: { package: { version: '2.41.0' } },
		});
		expect(facts.sleptMs).toBeGreaterThanOrEqual(145);
		expect(facts.zod.requireKeys).toContain('z');
		// resolved through NODE_PATH, which n8n sets to its own dependencies
		expect(facts.pLimit.resolved).toContain(n8n.install.dir);
		expect(facts.nodePath).toContain(`${n8n.install.dir}/node_modules/n8n/node_modules`);
	});

	it('e: the workflow execution timeout aborts the cancel signal: sleep(ms, signal) rejects, requests are cancelled', async () => {
		const logFile = path.join(work, 'dummy.log');
		rmSync(logFile, { force: true });
		await n8n.importWorkflow(
			fanOutWorkflow(
				'e2eFactsWf000004',
				manualTrigger(),
				[
					{
						name: 'sleeper',
						type: DUMMY_NODE_TYPE,
						parameters: { operation: 'sleep', sleepMs: 20000 },
					},
					call('hanging', { url: `${server.url}/hang`, method: 'POST' }),
				],
				{ settings: { executionTimeout: 2 } },
			),
		);
		const started = Date.now();
		const run = await n8n.execute('e2eFactsWf000004');
		expect(Date.now() - started).toBeLessThan(15000);
		expect(run.exitCode).toBe(1);
		// a cancelled execution prints no run data, only the error
		expect(run.result).toBeUndefined();
		expect(run.stdout).toContain('The execution was cancelled because it timed out');

		const log = readDummyLog(logFile);
		const sleeper = log.find((entry) => entry.node === 'sleeper');
		expect(sleeper?.sleep).toMatchObject({
			rejected: {
				class: 'DOMException',
				name: 'AbortError',
				message: 'This operation was aborted',
			},
			signalAborted: true,
		});
		expect(sleeper?.ms).toBeGreaterThanOrEqual(1900);
		expect(sleeper?.ms).toBeLessThan(5000);
		// Nodes run one at a time: whichever runs second never starts (the execution is over), so the
		// hanging request shows up only when it ran first. When it did, it was cancelled like this:
		const hanging = log.find((entry) => entry.node === 'hanging');
		if (hanging) {
			expect(hanging.error).toMatchObject({
				class: 'NodeApiError',
				message: 'canceled',
				httpCode: 'ERR_CANCELED',
				cause: { class: 'CanceledError', code: 'ERR_CANCELED' },
			});
		}
	});

	it('e: a request in flight is cancelled by the execution timeout (NodeApiError "canceled", ERR_CANCELED)', async () => {
		const logFile = path.join(work, 'dummy.log');
		rmSync(logFile, { force: true });
		await n8n.importWorkflow(
			fanOutWorkflow(
				'e2eFactsWf000005',
				manualTrigger(),
				[call('hanging', { url: `${server.url}/hang`, method: 'POST' })],
				{ settings: { executionTimeout: 2 } },
			),
		);
		const run = await n8n.execute('e2eFactsWf000005');
		expect(run.exitCode).toBe(1);
		const entry = readDummyLog(logFile)[0];
		expect(entry).toMatchObject({
			node: 'hanging',
			error: {
				class: 'NodeApiError',
				message: 'canceled',
				httpCode: 'ERR_CANCELED',
				cause: { class: 'CanceledError', message: 'canceled', code: 'ERR_CANCELED' },
			},
		});
	});

	it('g: a node error makes `n8n execute` exit 1 and print the run data with the NodeApiError', async () => {
		const failing: NodeSpec = {
			name: 'failing',
			type: DUMMY_NODE_TYPE,
			parameters: {
				operation: 'request',
				requestOptions: JSON.stringify({ url: `${server.url}/400`, method: 'POST', json: true }),
			},
			credentials: { [DUMMY_CREDENTIAL_TYPE]: CRED },
		};
		await n8n.importWorkflow(chainWorkflow('e2eFactsWf000006', [manualTrigger(), failing]));
		const run = await n8n.execute('e2eFactsWf000006');
		expect(run.exitCode).toBe(1);
		expect(run.result?.status).toBe('error');
		const error = run.result?.data.resultData.error;
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: 'Bad request - please check your parameters',
			description: 'Request failed with status code 400',
			httpCode: '400',
			messages: ['Request failed with status code 400'],
			level: 'warning',
			context: { data: { Code: 'InvalidParameter', Message: 'bad', RequestId: 'REQ-400' } },
			node: { name: 'failing', type: DUMMY_NODE_TYPE },
		});
		expect(run.result?.data.resultData.lastNodeExecuted).toBe('failing');
		const nodeRun = run.result?.data.resultData.runData.failing[0];
		expect(nodeRun?.executionStatus).toBe('error');
		expect(nodeRun?.error).toMatchObject({ name: 'NodeApiError', httpCode: '400' });
		expect(nodeRun?.data).toBeUndefined();
		// after the JSON, the error's message and stack are logged again
		expect(run.stdout.slice(run.stdout.lastIndexOf('\n}\n'))).toContain(
			'NodeApiError: Bad request - please check your parameters',
		);
	});

	it('h: error output — which items reach output 1, and what their json is', async () => {
		const two = codeNode('Two', `return [{ json: { path: '/200' } }, { json: { path: '/500' } }];`);
		const variants: Array<[string, string, NodeSpec['onError']]> = [
			['plain', 'plain', 'continueErrorOutput'],
			['extraKeys', 'extraKeys', 'continueErrorOutput'],
			['details', 'details', 'continueErrorOutput'],
			['itemError', 'extraKeysWithItemError', 'continueErrorOutput'],
			['thrown', 'throw', 'continueErrorOutput'],
			['regularPlain', 'plain', 'continueRegularOutput'],
			['regularItemError', 'extraKeysWithItemError', 'continueRegularOutput'],
			['regularThrown', 'throw', 'continueRegularOutput'],
		];
		const nodes: NodeSpec[] = [];
		const extra: Array<{ from: string; output: number; to: string }> = [];
		for (const [name, shape, onError] of variants) {
			nodes.push({
				name,
				type: DUMMY_NODE_TYPE,
				onError,
				parameters: {
					operation: 'request',
					requestOptions: `={{ JSON.stringify({ url: '${server.url}' + $json.path, method: 'POST', json: true }) }}`,
					errorItemShape: shape,
				},
				credentials: { [DUMMY_CREDENTIAL_TYPE]: CRED },
			});
			extra.push({ from: 'Two', output: 0, to: name });
			// downstream probes: what each output really passes on
			nodes.push(
				codeNode(`${name} ok`, 'return $input.all();'),
				codeNode(`${name} err`, 'return $input.all();'),
			);
			extra.push(
				{ from: name, output: 0, to: `${name} ok` },
				{ from: name, output: 1, to: `${name} err` },
			);
		}
		await n8n.importWorkflow(
			chainWorkflow('e2eFactsWf000007', [manualTrigger(), two, ...nodes], {
				unchained: nodes.map((n) => n.name),
				extraConnections: extra,
			}),
		);
		const run = await n8n.execute('e2eFactsWf000007');
		const outputs = (name: string) => nodeOutputs(run.result, name);
		const received = (name: string) => outputs(name)[0] ?? null;
		const runOf = (name: string) => run.result?.data.resultData.runData[name]?.[0];
		const ok = { response: { ok: true }, item: 0 };
		const message = 'The service was not able to process your request';

		// json holding only error/message/details → error output, merged onto the input item's json
		expect(outputs('plain')).toEqual([[ok], [{ path: '/500', error: message }]]);
		expect(received('plain err')).toEqual([{ path: '/500', error: message }]);
		// json with other keys and no item-level `error` → stays on the success output
		expect(outputs('extraKeys')).toEqual([
			[ok, { error: message, code: 'X', httpStatus: '500' }],
			[],
		]);
		expect(received('extraKeys err')).toBeNull();
		// extra fields under `details` → error output, kept
		expect(outputs('details')).toEqual([
			[ok],
			[{ path: '/500', error: message, details: { code: 'X', httpStatus: '500' } }],
		]);
		// item-level `error` → error output, but n8n REPLACES json with { error: error.message }:
		// the extra keys (code, httpStatus) are lost
		expect(outputs('itemError')).toEqual([[ok], [{ error: message }]]);
		expect(received('itemError err')).toEqual([{ error: message }]);
		// a thrown error → the node's run is marked as an error, and all INPUT items pass on through
		// output 0 (the success output!), nothing through the error output
		expect(outputs('thrown')).toEqual([[{ path: '/200' }, { path: '/500' }]]);
		expect(runOf('thrown')?.executionStatus).toBe('error');
		expect(runOf('thrown')?.error).toMatchObject({ name: 'NodeApiError', httpCode: '500' });
		expect(received('thrown ok')).toEqual([{ path: '/200' }, { path: '/500' }]);
		expect(received('thrown err')).toBeNull();
		// continueRegularOutput: everything on output 0; item-level error still rewrites json
		expect(outputs('regularPlain')).toEqual([[ok, { error: message }]]);
		expect(outputs('regularItemError')).toEqual([[ok, { error: message }]]);
		expect(outputs('regularThrown')).toEqual([[{ path: '/200' }, { path: '/500' }]]);
		// here every erroring node has a downstream node, so the execution ends in success
		expect(run.exitCode).toBe(0);
		expect(run.result?.status).toBe('success');
	});

	it('h: a node that threw under onError=continue… and ran LAST makes the execution fail (exit 1, status error)', async () => {
		const two = codeNode('Two', `return [{ json: { path: '/200' } }, { json: { path: '/500' } }];`);
		const thrown: NodeSpec = {
			name: 'thrown',
			type: DUMMY_NODE_TYPE,
			onError: 'continueErrorOutput',
			parameters: {
				operation: 'request',
				requestOptions: `={{ JSON.stringify({ url: '${server.url}' + $json.path, method: 'POST', json: true }) }}`,
				errorItemShape: 'throw',
			},
			credentials: { [DUMMY_CREDENTIAL_TYPE]: CRED },
		};
		await n8n.importWorkflow(chainWorkflow('e2eFactsWf000008', [manualTrigger(), two, thrown]));
		const run = await n8n.execute('e2eFactsWf000008');
		expect(run.exitCode).toBe(1);
		expect(run.result?.status).toBe('error');
		expect(run.result?.data.resultData.error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '500',
		});
		expect(nodeOutputs(run.result, 'thrown')).toEqual([[{ path: '/200' }, { path: '/500' }]]);
	});
});
