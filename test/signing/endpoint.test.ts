import {
	API_VERSION_PRODUCTS,
	hostOf,
	isLoopbackHost,
	normalizeCustomEndpoint,
	productForVersion,
	resolveBaseUrl,
} from '../../nodes/ApsaraMq/transport/signing';
import type { Product } from '../../nodes/ApsaraMq/transport/signing';
import { signingErrorOf } from './signingErrorOf';

/** Stage 0: endpoints (docs/endpoints.md). */

describe('productForVersion', () => {
	it.each([
		['2020-04-20', 'onsmqtt'],
		['2019-02-14', 'ons'],
		['2015-04-01', 'sts'],
	])('%s → %s', (version, product) => {
		expect(productForVersion(version)).toBe(product);
	});

	it('knows exactly three versions', () => {
		expect(Object.keys(API_VERSION_PRODUCTS).sort()).toEqual([
			'2015-04-01',
			'2019-02-14',
			'2020-04-20',
		]);
	});

	it.each(['2099-01-01', '', 'constructor', 'toString', '__proto__'])(
		'refuses unknown version %j and names it',
		(version) => {
			const error = signingErrorOf(() => productForVersion(version));
			expect(error.message).toContain(JSON.stringify(version));
			expect(error.message).toContain('2020-04-20');
			expect(error.field).toBe('x-acs-version');
		},
	);
});

describe('resolveBaseUrl: public and vpc', () => {
	const products: Product[] = ['onsmqtt', 'ons', 'sts'];

	it.each(products)('public %s', (product) => {
		expect(resolveBaseUrl(product, { endpointType: 'public', regionId: 'cn-hangzhou' })).toBe(
			`https://${product}.cn-hangzhou.aliyuncs.com/`,
		);
	});

	it.each(products)('vpc %s', (product) => {
		expect(resolveBaseUrl(product, { endpointType: 'vpc', regionId: 'ap-southeast-1' })).toBe(
			`https://${product}-vpc.ap-southeast-1.aliyuncs.com/`,
		);
	});

	it('ignores a custom endpoint unless the type is custom', () => {
		expect(
			resolveBaseUrl('ons', {
				endpointType: 'public',
				regionId: 'cn-beijing',
				customEndpoint: 'https://example.com',
			}),
		).toBe('https://ons.cn-beijing.aliyuncs.com/');
	});

	it('serves mq-internet-access publicly, with STS on its central endpoint', () => {
		const settings = { endpointType: 'public' as const, regionId: 'mq-internet-access' };
		expect(resolveBaseUrl('onsmqtt', settings)).toBe(
			'https://onsmqtt.mq-internet-access.aliyuncs.com/',
		);
		expect(resolveBaseUrl('ons', settings)).toBe('https://ons.mq-internet-access.aliyuncs.com/');
		expect(resolveBaseUrl('sts', settings)).toBe('https://sts.aliyuncs.com/');
	});

	it('refuses vpc for mq-internet-access, which has no VPC endpoint', () => {
		const error = signingErrorOf(() =>
			resolveBaseUrl('onsmqtt', { endpointType: 'vpc', regionId: 'mq-internet-access' }),
		);
		expect(error.message).toMatch(/no VPC endpoint/);
	});

	it.each(['', 'cn hangzhou', 'CN-HANGZHOU', 'cn-hangzhou.evil.com', 'a/b', '-x'])(
		'refuses region %j',
		(regionId) => {
			const error = signingErrorOf(() => resolveBaseUrl('ons', { endpointType: 'public', regionId }));
			expect(error.field).toBe('regionId');
			expect(error.message).toContain('Region (regionId)');
		},
	);

	it('refuses an unknown endpoint type', () => {
		const error = signingErrorOf(() =>
			resolveBaseUrl('ons', { endpointType: 'private' as never, regionId: 'cn-hangzhou' }),
		);
		expect(error.field).toBe('endpointType');
	});
});

describe('resolveBaseUrl: custom', () => {
	const custom = (customEndpoint: string, product: Product = 'onsmqtt') =>
		resolveBaseUrl(product, { endpointType: 'custom', regionId: 'cn-hangzhou', customEndpoint });

	it.each([
		['https://gw.example.com', 'https://gw.example.com/'],
		['https://gw.example.com/', 'https://gw.example.com/'],
		['  https://gw.example.com  ', 'https://gw.example.com/'],
		['https://GW.Example.COM', 'https://gw.example.com/'],
		['https://gw.example.com:8443', 'https://gw.example.com:8443/'],
		['https://gw.example.com:443', 'https://gw.example.com/'],
		['https://gw.example.com/alibaba', 'https://gw.example.com/alibaba/'],
		['https://gw.example.com/alibaba/', 'https://gw.example.com/alibaba/'],
		['https://gw.example.com:8443/a/b', 'https://gw.example.com:8443/a/b/'],
		['http://127.0.0.1:8080', 'http://127.0.0.1:8080/'],
		['http://127.1.2.3', 'http://127.1.2.3/'],
		['http://localhost:3000/prefix', 'http://localhost:3000/prefix/'],
		['http://LOCALHOST', 'http://localhost/'],
		['http://[::1]:9000', 'http://[::1]:9000/'],
		['http://[0:0:0:0:0:0:0:1]', 'http://[::1]/'],
		['http://127.1', 'http://127.0.0.1/'],
		['http://localhost:80', 'http://localhost/'],
	])('%s → %s', (input, expected) => {
		expect(custom(input)).toBe(expected);
	});

	it('uses the same base URL for every product, STS included', () => {
		for (const product of ['onsmqtt', 'ons', 'sts'] as Product[]) {
			expect(custom('https://gw.example.com/x', product)).toBe('https://gw.example.com/x/');
		}
	});

	it.each([
		'http://example.com',
		'http://10.0.0.1:8080',
		'http://192.168.1.10',
		'http://localhost.example.com',
		'http://128.0.0.1',
		'http://[::2]',
		'http://0.0.0.0',
	])('refuses http:// for the non-loopback %s and says to use https', (input) => {
		const error = signingErrorOf(() => custom(input));
		expect(error.field).toBe('customEndpoint');
		expect(error.message).toContain('Custom Endpoint (customEndpoint)');
		expect(error.message).toContain('https://');
		expect(error.message).toMatch(/loopback/);
	});

	it.each(['ftp://example.com', 'file:///etc/passwd', 'ws://localhost', 'localhost:8080'])(
		'refuses the scheme of %s',
		(input) => {
			const error = signingErrorOf(() => custom(input));
			expect(error.field).toBe('customEndpoint');
			expect(error.message).toMatch(/must start with https:\/\//);
		},
	);

	it.each(['not a url', 'gw.example.com', '//gw.example.com', 'https://', 'https://exa mple.com'])(
		'refuses the unparseable %j',
		(input) => {
			const error = signingErrorOf(() => custom(input));
			expect(error.field).toBe('customEndpoint');
			expect(error.message).toMatch(/not a valid URL|must start with/);
		},
	);

	it('refuses an empty custom endpoint', () => {
		expect(signingErrorOf(() => custom('   ')).message).toMatch(/is empty/);
		expect(
			signingErrorOf(() => resolveBaseUrl('ons', { endpointType: 'custom', regionId: '' })).field,
		).toBe('customEndpoint');
	});

	it('refuses user info without echoing the password', () => {
		const error = signingErrorOf(() => custom('https://user:hunter2pw@gw.example.com'));
		expect(error.message).toMatch(/user name or password/);
		expect(error.message).not.toContain('hunter2pw');
	});

	it.each(['https://gw.example.com/?token=abc', 'https://gw.example.com/#frag'])(
		'refuses a query string or fragment in %s',
		(input) => {
			expect(signingErrorOf(() => custom(input)).message).toMatch(/query string/);
		},
	);
});

describe('isLoopbackHost', () => {
	it.each([
		['localhost', true],
		['LocalHost', true],
		['127.0.0.1', true],
		['127.255.255.254', true],
		['[::1]', true],
		['::1', true],
		['126.0.0.1', false],
		['localhost.', false],
		['example.com', false],
		['[::ffff:7f00:1]', false],
	])('%s → %s', (host, expected) => {
		expect(isLoopbackHost(host)).toBe(expected);
	});
});

describe('hostOf', () => {
	it.each([
		['https://onsmqtt.cn-hangzhou.aliyuncs.com/', 'onsmqtt.cn-hangzhou.aliyuncs.com'],
		['https://gw.example.com:8443/a/', 'gw.example.com:8443'],
		['https://gw.example.com:443/', 'gw.example.com'],
		['http://127.0.0.1:8080/', '127.0.0.1:8080'],
		['http://localhost:80/', 'localhost'],
		['http://[::1]:9000/', '[::1]:9000'],
	])('%s → %s', (url, host) => {
		expect(hostOf(url)).toBe(host);
	});
});

describe('normalizeCustomEndpoint', () => {
	it('is what resolveBaseUrl uses for custom endpoints', () => {
		expect(normalizeCustomEndpoint('https://a.example.com/p')).toBe('https://a.example.com/p/');
	});
});
