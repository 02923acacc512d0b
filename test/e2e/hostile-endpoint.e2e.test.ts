// The node inside a real n8n 2.41.1 (`n8n execute`) against endpoints that misbehave on purpose
// (issue 10): an endpoint that redirects to a second origin must not get n8n to send the signed
// request there, and an endpoint that answers 503 after it took a message in must not get a
// silent second delivery. Plain recording servers on 127.0.0.1 stand in for both.
import { emulatorCredential, locator, outputItems } from './harness/apsaramq';
import {
	chainWorkflow,
	codeNode,
	createN8nInstance,
	manualTrigger,
	repoRoot,
	startRecordingServer,
	type N8nInstance,
	type NodeSpec,
	type RecordedRequest,
	type RecordingServer,
} from './harness';

const REDIRECT_V3 = { id: 'e2eRedirectV3001', name: 'redirecting endpoint V3' };
const REDIRECT_V2 = { id: 'e2eRedirectV2001', name: 'redirecting endpoint V2' };
const FLAKY = { id: 'e2eFlaky50300001', name: 'endpoint answering 503 after processing' };
const TOKEN = 'CAISe2eStsTokenValue0000';

const payloadOf = (request: RecordedRequest) => new URLSearchParams(request.body.toString()).get('Payload');

function sendNode(name: string, credential: { id: string; name: string }, options: Record<string, unknown> = {}): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-apsaramq.apsaraMq',
		typeVersion: 1,
		onError: 'continueRegularOutput',
		parameters: {
			operation: 'sendMqttMessage',
			instanceId: locator('post-cn-0pp12gl0001'),
			mqttTopic: 'TopicA/hostile',
			payloadType: 'text',
			payload: '={{ $json.text }}',
			options,
		},
		credentials: { alibabaCloudAccessKeyApi: credential },
	};
}

describe('the node in n8n 2.41.1 against hostile endpoints', () => {
	let n8n: N8nInstance;
	let secondOrigin: RecordingServer;
	let redirecting: RecordingServer;
	let flaky: RecordingServer;

	beforeAll(async () => {
		secondOrigin = await startRecordingServer(() => ({ status: 200, body: { RequestId: 'EVIL', MsgId: 'EVIL' } }));
		redirecting = await startRecordingServer((request) => ({
			status: request.headers['x-acs-signature-nonce'] ? 307 : 302,
			headers: { location: `${secondOrigin.url}/collect?from=redirect` },
		}));
		// Every third send is taken in (recorded) and then answered 503 ServiceUnavailable.
		let sends = 0;
		flaky = await startRecordingServer(() =>
			++sends % 3 === 0
				? { status: 503, body: { RequestId: `R${sends}`, Code: 'ServiceUnavailable', Message: 'The request has failed due to a temporary failure of the server.' } }
				: { status: 200, body: { RequestId: `R${sends}`, MsgId: `MSG${sends}` } },
		);
		n8n = await createN8nInstance({ packageDir: repoRoot() });
		const sts = { temporaryCredentials: true, securityToken: TOKEN };
		await n8n.importCredentials([
			emulatorCredential(redirecting.url, REDIRECT_V3, { ...sts, signatureVersion: 'v3' }),
			emulatorCredential(redirecting.url, REDIRECT_V2, { ...sts, signatureVersion: 'v2' }),
			emulatorCredential(flaky.url, FLAKY),
		]);
		await n8n.importWorkflow([
			chainWorkflow('e2eRedirect00001', [
				manualTrigger(),
				codeNode('Items', `return [{ json: { text: 'redirected' } }];`),
				sendNode('Send V3', REDIRECT_V3),
				sendNode('Send V2', REDIRECT_V2),
			], { unchained: ['Send V2'], extraConnections: [{ from: 'Items', output: 0, to: 'Send V2' }] }),
			chainWorkflow('e2eFlaky5030001', [
				manualTrigger(),
				codeNode('Items', 'return Array.from({ length: 30 }, (_, i) => ({ json: { text: `row-${i}` } }));'),
				sendNode('Send', FLAKY, { maxRetries: 5 }),
			]),
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await Promise.all([secondOrigin, redirecting, flaky].map(async (server) => await server?.close()));
	});

	it('never follows a 307 or 302: the second origin sees no request, and the item fails naming the origin only', async () => {
		const run = await n8n.execute('e2eRedirect00001');
		expect(run.exitCode).toBe(0);
		expect(redirecting.requests).toHaveLength(2);
		expect(secondOrigin.requests).toHaveLength(0);
		for (const name of ['Send V3', 'Send V2']) {
			const [item] = outputItems(run.result, name);
			expect(item.json).toMatchObject({ code: 'RedirectRefused' });
			expect(item.json.error).toContain(new URL(secondOrigin.url).origin);
			expect(JSON.stringify(item.json)).not.toMatch(/collect|from=redirect|EVIL|CAISe2e/);
		}
	});

	it('a send answered 503 after processing is never sent again: AmbiguousDelivery, one request per row', async () => {
		const run = await n8n.execute('e2eFlaky5030001');
		expect(run.exitCode).toBe(0);
		const output = outputItems(run.result, 'Send');
		expect(output).toHaveLength(30);
		const requestsPerRow = new Map<string, number>();
		for (const request of flaky.requests) {
			const payload = payloadOf(request) ?? '';
			requestsPerRow.set(payload, (requestsPerRow.get(payload) ?? 0) + 1);
		}
		// Every row reached the endpoint exactly once: no second delivery, silent or not.
		expect([...requestsPerRow.values()].every((count) => count === 1)).toBe(true);
		expect(requestsPerRow.size).toBe(30);
		const ambiguous = output.filter((item) => item.json.code === 'AmbiguousDelivery');
		expect(ambiguous).toHaveLength(10);
		for (const item of ambiguous) expect(item.json).toMatchObject({ httpStatus: 503 });
		expect(output.filter((item) => typeof item.json.msgId === 'string')).toHaveLength(20);
		expect(output.some((item) => item.json.possibleDuplicate !== undefined || item.json.attempts !== undefined)).toBe(false);
	});
});
