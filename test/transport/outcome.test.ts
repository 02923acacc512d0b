import { classifyException, classifyResponse } from '../../nodes/ApsaraMq/transport/outcome';

const HTTP_REQUEST_ERROR = Symbol.for('n8n.backend-network.http-request-error');

function networkError(code: string, message = 'boom') {
	const cause = Object.assign(new Error(message), { code });
	const onTheWire = Object.assign(new Error(message), { cause, isAxiosError: true });
	Object.defineProperty(onTheWire, HTTP_REQUEST_ERROR, { value: true });
	// n8n wraps it once more in a NodeApiError-like error.
	return Object.assign(new Error('wrapped'), { cause: onTheWire });
}

describe('classifyResponse', () => {
	it.each([
		[200, { RequestId: 'R', MsgId: 'M' }, 'success'],
		[200, { RequestId: 'R', Code: '200', Success: 'true' }, 'success'],
		[200, { RequestId: 'R', Code: 200 }, 'success'],
		[200, 'not json', 'ambiguous'],
		[200, { RequestId: 'R', Code: 'Throttling.User' }, 'throttled'],
		[400, { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' }, 'throttled'],
		[400, { Code: 'Throttling.Api' }, 'throttled'],
		[400, { Code: 'Throttling' }, 'throttled'],
		[500, { Code: 'SystemOverFlow' }, 'throttled'],
		[400, { Code: 'ApplyTokenOverFlow' }, 'throttled'],
		[429, {}, 'throttled'],
		[503, { Code: 'ServiceUnavailable' }, 'ambiguous'],
		[503, { Code: 'Throttling.User' }, 'throttled'],
		[200, { RequestId: 'R', Code: 'InternalError' }, 'ambiguous'],
		[200, { RequestId: 'R', Code: 'InvalidParameter' }, 'ambiguous'],
		[307, {}, 'rejected'],
		[302, '', 'rejected'],
		[500, { Code: 'InternalError' }, 'ambiguous'],
		[500, { Code: 'SendMessageFailed' }, 'ambiguous'],
		[502, '<html>bad gateway</html>', 'ambiguous'],
		[504, {}, 'ambiguous'],
		[400, { Code: 'SignatureDoesNotMatch' }, 'rejected'],
		[404, { Code: 'InvalidAccessKeyId.NotFound' }, 'rejected'],
		[403, { Code: 'Forbidden.RAM' }, 'rejected'],
	])('HTTP %i %j is %s', (statusCode, body, type) => {
		expect(classifyResponse({ statusCode, body }).type).toBe(type);
	});

	it('reads x-acs-retry-after (ms) and keeps code, message, request ID and status', () => {
		expect(
			classifyResponse({
				statusCode: 400,
				body: { Code: 'Throttling.User', Message: 'flow control', RequestId: 'R1' },
				headers: { 'x-acs-retry-after': '1500' },
			}),
		).toEqual({
			type: 'throttled',
			retryAfterMs: 1500,
			failure: { code: 'Throttling.User', message: 'flow control', requestId: 'R1', httpStatus: 400 },
		});
	});
});

describe('classifyException', () => {
	it.each([
		['ECONNREFUSED', 'notSent'],
		['ENOTFOUND', 'notSent'],
		['EAI_AGAIN', 'notSent'],
		['EHOSTUNREACH', 'notSent'],
		['UND_ERR_CONNECT_TIMEOUT', 'notSent'],
		['ECONNRESET', 'ambiguous'],
		['EPIPE', 'ambiguous'],
		['ETIMEDOUT', 'ambiguous'],
		['ECONNABORTED', 'ambiguous'],
		['UND_ERR_SOCKET', 'ambiguous'],
		['UND_ERR_HEADERS_TIMEOUT', 'ambiguous'],
		['ERR_CANCELED', 'cancelled'],
	])('%s is %s', (code, type) => {
		expect(classifyException(networkError(code), false).type).toBe(type);
	});

	it('treats an unknown failure on the wire as ambiguous, and a timeout message as a timeout', () => {
		expect(classifyException(networkError('SOMETHING_NEW'), false).type).toBe('ambiguous');
		const timeout = classifyException(networkError('', 'timeout of 500ms exceeded'), false);
		expect(timeout).toMatchObject({ type: 'ambiguous', failure: { code: 'Timeout' } });
	});

	it('keeps system codes out of the message (n8n would replace it) but in the code', () => {
		const outcome = classifyException(networkError('ECONNRESET'), false);
		expect(outcome).toMatchObject({ failure: { code: 'ECONNRESET' } });
		expect(JSON.stringify(outcome)).not.toMatch(/message":"[^"]*ECONNRESET/);
	});

	it('is cancelled whenever the execution was cancelled', () => {
		expect(classifyException(networkError('ECONNRESET'), true).type).toBe('cancelled');
	});

	it('is unsent when the error never reached the wire (the credential refused to sign)', () => {
		const refused = Object.assign(new Error('wrapped'), {
			cause: new Error('The Custom Endpoint must use https://'),
		});
		expect(classifyException(refused, false)).toEqual({
			type: 'unsent',
			failure: { message: 'The Custom Endpoint must use https://' },
		});
	});
});
