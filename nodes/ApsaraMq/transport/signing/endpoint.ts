import { SigningError } from './errors';

/**
 * Stage 0: where the request goes (docs/endpoints.md#host-patterns). The API version in
 * `x-acs-version` picks the product, and the credential's region and endpoint type pick the host.
 */

export type Product = 'onsmqtt' | 'ons' | 'sts';
export type EndpointType = 'public' | 'vpc' | 'custom';

export const ENDPOINT_TYPES: readonly EndpointType[] = ['public', 'vpc', 'custom'];

/**
 * API version → product code. `sts` serves only the credential test (`GetCallerIdentity`), which
 * needs no ApsaraMQ permission.
 */
export const API_VERSION_PRODUCTS: Readonly<Record<string, Product>> = {
	'2020-04-20': 'onsmqtt',
	'2019-02-14': 'ons',
	'2015-04-01': 'sts',
};

const PRODUCT_NAMES: Readonly<Record<Product, string>> = {
	onsmqtt: 'ApsaraMQ for MQTT',
	ons: 'ApsaraMQ for RocketMQ 4.x (ONS)',
	sts: 'Security Token Service (STS)',
};

/**
 * The region that reaches ApsaraMQ over the public Internet. It has no VPC endpoint, and STS has
 * no host under it, so STS uses its central endpoint there (docs/endpoints.md#sts).
 */
export const INTERNET_ACCESS_REGION = 'mq-internet-access';
const STS_CENTRAL_BASE_URL = 'https://sts.aliyuncs.com/';

const REGION_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export interface EndpointSettings {
	endpointType: EndpointType;
	/** Used by `public` and `vpc`. */
	regionId: string;
	/** Used by `custom`: one base URL for every product. */
	customEndpoint?: string;
}

const hasOwn = (object: object, key: string): boolean =>
	Object.prototype.hasOwnProperty.call(object, key);

/** The product an API version belongs to; an unknown version is an error that names it. */
export function productForVersion(version: string): Product {
	if (hasOwn(API_VERSION_PRODUCTS, version)) return API_VERSION_PRODUCTS[version];
	const known = Object.keys(API_VERSION_PRODUCTS)
		.map((v) => `${v} (${PRODUCT_NAMES[API_VERSION_PRODUCTS[v]]})`)
		.join(', ');
	throw new SigningError(
		`Unknown Alibaba Cloud API version ${JSON.stringify(version)} in the x-acs-version header. ` +
			`This credential can sign for: ${known}.`,
		'x-acs-version',
	);
}

/**
 * Loopback hosts, the only ones allowed over plain `http://` (a local emulator or a gateway on
 * the same machine): `localhost`, 127.0.0.0/8 and `[::1]`. `URL` has already normalised the host
 * (lower case, `127.1` → `127.0.0.1`, `[0:0:0:0:0:0:0:1]` → `[::1]`).
 */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase();
	return host === 'localhost' || host === '[::1]' || host === '::1' || IPV4_LOOPBACK.test(host);
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

const CUSTOM_EXAMPLE = 'https://onsmqtt-vpc.cn-hangzhou.aliyuncs.com';

/**
 * Validates a custom endpoint and returns it as a base URL ending in `/`, keeping any path prefix
 * (for a gateway mounted under a path). Refuses what would weaken or confuse the request: plain
 * HTTP to a remote host (the AccessKey ID, the token and the payload would travel in clear text),
 * other schemes, embedded user names or passwords, and query strings or fragments (requests of
 * this package never carry a query string).
 *
 * Messages name the field and at most the host, never the whole URL, which could hold a password.
 */
export function normalizeCustomEndpoint(raw: string): string {
	const text = raw.trim();
	if (text === '') {
		throw new SigningError(
			'Custom Endpoint (customEndpoint) is empty. Enter the base URL every API call should go ' +
				`to, for example ${CUSTOM_EXAMPLE}, or choose the Public or VPC endpoint type.`,
			'customEndpoint',
		);
	}
	const url = parseUrl(text);
	if (url === undefined) {
		throw new SigningError(
			`Custom Endpoint (customEndpoint) is not a valid URL. Enter an absolute URL such as ${CUSTOM_EXAMPLE}.`,
			'customEndpoint',
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new SigningError(
			`Custom Endpoint (customEndpoint) must start with https:// (for example ${CUSTOM_EXAMPLE}); ` +
				`URLs starting with "${url.protocol}" are not supported.`,
			'customEndpoint',
		);
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		throw new SigningError(
			`Custom Endpoint (customEndpoint) uses http:// for the host ${url.hostname}, which is not a ` +
				'loopback address. Use an https:// URL: plain http:// is accepted only for localhost, ' +
				'127.0.0.0/8 and [::1], because the request would otherwise cross the network unencrypted.',
			'customEndpoint',
		);
	}
	if (url.username !== '' || url.password !== '') {
		throw new SigningError(
			'Custom Endpoint (customEndpoint) must not contain a user name or password. Remove the ' +
				'"user:password@" part; requests are authenticated with the AccessKey.',
			'customEndpoint',
		);
	}
	if (url.search !== '' || url.hash !== '') {
		throw new SigningError(
			'Custom Endpoint (customEndpoint) must not contain a query string (?...) or a fragment ' +
				'(#...). Enter only the scheme, host, optional port and optional path.',
			'customEndpoint',
		);
	}
	const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
	return `${url.protocol}//${url.host}${path}`;
}

/** The base URL (ending in `/`) for `product` under the credential's endpoint settings. */
export function resolveBaseUrl(product: Product, settings: EndpointSettings): string {
	if (settings.endpointType === 'custom')
		return normalizeCustomEndpoint(settings.customEndpoint ?? '');
	if (settings.endpointType !== 'public' && settings.endpointType !== 'vpc') {
		throw new SigningError(
			`Endpoint Type (endpointType) ${JSON.stringify(settings.endpointType)} is not one of ` +
				'public, vpc or custom.',
			'endpointType',
		);
	}
	const regionId = settings.regionId.trim();
	if (!REGION_ID.test(regionId)) {
		throw new SigningError(
			regionId === ''
				? 'Region (regionId) is empty. Choose the region of your ApsaraMQ instance.'
				: `Region (regionId) ${JSON.stringify(regionId)} is not a valid region ID such as cn-hangzhou.`,
			'regionId',
		);
	}
	if (regionId === INTERNET_ACCESS_REGION) {
		if (settings.endpointType === 'vpc') {
			throw new SigningError(
				`Region ${INTERNET_ACCESS_REGION} has no VPC endpoint. Choose the Public endpoint type, ` +
					'or a regular region for VPC access.',
				'endpointType',
			);
		}
		if (product === 'sts') return STS_CENTRAL_BASE_URL;
	}
	const suffix = settings.endpointType === 'vpc' ? '-vpc' : '';
	return `https://${product}${suffix}.${regionId}.aliyuncs.com/`;
}

/**
 * The exact `host` of a URL, with `:port` when it is not the scheme's default
 * (docs/endpoints.md#host-header).
 */
export function hostOf(baseUrl: string): string {
	return new URL(baseUrl).host;
}
