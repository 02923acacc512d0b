import { NodeOperationError } from 'n8n-workflow';

import { answer, run } from './fakeContext';

describe('the router', () => {
	it('refuses an operation it does not know with an error naming the value, before any request', async () => {
		let requests = 0;
		const error = await run({
			parameters: { operation: 'notAnOperation', options: {} },
			transport: async () => {
				requests++;
				return answer(200, {});
			},
		}).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Unknown operation "notAnOperation"');
		expect(error.description).toContain('sendMqttMessage, pushOnsMessage, getOnsConsumerConnections');
		expect(requests).toBe(0);
	});
});
