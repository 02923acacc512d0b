import { readRpcRequest, SigningError } from '../../nodes/ApsaraMq/transport/signing';

/** The node ↔ credential contract (docs/signing.md#where-parameters-go). */
describe('readRpcRequest', () => {
	it('reads action and version from headers, case-insensitively, and qs as parameters', () => {
		const request = readRpcRequest({
			headers: { 'X-Acs-Action': 'SendMessage', 'X-ACS-VERSION': ' 2020-04-20 ', 'x-trace': 't1' },
			qs: { InstanceId: 'i', Count: 3, Flag: false, Skip: undefined, Gone: null },
		});
		expect(request.action).toBe('SendMessage');
		expect(request.version).toBe('2020-04-20');
		expect(request.headers).toEqual({ 'x-trace': 't1' });
		expect({ ...request.parameters }).toEqual({
			InstanceId: 'i',
			Count: 3,
			Flag: false,
			Skip: undefined,
			Gone: null,
		});
	});

	it.each([
		[{ 'x-acs-version': '2020-04-20' }, 'x-acs-action'],
		[{ 'x-acs-action': 'SendMessage' }, 'x-acs-version'],
		[{ 'x-acs-action': '  ', 'x-acs-version': '2020-04-20' }, 'x-acs-action'],
		[undefined, 'x-acs-action'],
	])('refuses headers %j, naming %s', (headers, missing) => {
		expect(() => readRpcRequest({ headers })).toThrow(SigningError);
		expect(() => readRpcRequest({ headers })).toThrow(missing);
	});

	const api = { 'x-acs-action': 'A', 'x-acs-version': '2019-02-14' };

	it.each([undefined, null, '', {}])('accepts the empty body %j', (body) => {
		expect(() => readRpcRequest({ headers: api, body })).not.toThrow();
	});

	it.each(['a=b', { a: 1 }, Buffer.from('x')])('refuses the body %j', (body) => {
		expect(() => readRpcRequest({ headers: api, body })).toThrow(
			/Pass Alibaba Cloud API parameters in qs/,
		);
	});

	it.each([{ nested: { a: 1 } }, { list: ['a'] }])(
		'refuses the non-scalar parameter in %j',
		(qs) => {
			expect(() => readRpcRequest({ headers: api, qs })).toThrow(
				/must be a string, number or boolean/,
			);
		},
	);

	it('treats a missing qs as no parameters', () => {
		expect(Object.keys(readRpcRequest({ headers: api }).parameters)).toEqual([]);
	});
});
