import { randomUUID } from 'crypto';
import type {
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { CREDENTIAL_PROBLEMS } from '../nodes/ApsaraMq/transport/credentialProblems';
import {
	isMqHttpRequest,
	readRpcRequest,
	readSigningSettings,
	signMqHttpOptions,
	signRequest,
	SigningError,
} from '../nodes/ApsaraMq/transport/signing';

/**
 * Regions where ApsaraMQ for MQTT or RocketMQ 4.x (ONS) has an OpenAPI endpoint
 * (docs/endpoints.md#regions), including the plausible but unconfirmed Europe, America,
 * Middle East and India entries; Sydney (ap-southeast-2) is closed and left out. Any other region
 * can still be reached with a custom endpoint.
 */
const REGIONS: INodePropertyOptions[] = [
	['China (Beijing)', 'cn-beijing'],
	['China (Chengdu)', 'cn-chengdu'],
	['China (Guangzhou)', 'cn-guangzhou'],
	['China (Hangzhou)', 'cn-hangzhou'],
	['China (Hohhot)', 'cn-huhehaote'],
	['China (Hong Kong)', 'cn-hongkong'],
	['China (Qingdao)', 'cn-qingdao'],
	['China (Shanghai)', 'cn-shanghai'],
	['China (Shenzhen)', 'cn-shenzhen'],
	['China (Ulanqab)', 'cn-wulanchabu'],
	['China (Zhangjiakou)', 'cn-zhangjiakou'],
	['Germany (Frankfurt)', 'eu-central-1'],
	['India (Mumbai)', 'ap-south-1'],
	['Indonesia (Jakarta)', 'ap-southeast-5'],
	['Japan (Tokyo)', 'ap-northeast-1'],
	['Malaysia (Kuala Lumpur)', 'ap-southeast-3'],
	['Philippines (Manila)', 'ap-southeast-6'],
	['Public Internet Access', 'mq-internet-access'],
	['Singapore', 'ap-southeast-1'],
	['UAE (Dubai)', 'me-east-1'],
	['UK (London)', 'eu-west-1'],
	['US (Silicon Valley)', 'us-west-1'],
	['US (Virginia)', 'us-east-1'],
].map(([location, regionId]) => ({ name: `${location} - ${regionId}`, value: regionId }));

/**
 * How a failed credential test reaches the user in n8n 2.41 (read in n8n's
 * `packages/cli/src/services/credentials-tester.service.ts` and n8n-core 2.41.1's
 * `execution-engine/routing-node.js`):
 * - The test request runs through a declarative routing node and `httpRequestWithAuthentication`,
 *   so `authenticate` below signs it. If `authenticate` throws, n8n wraps the error in a
 *   `NodeApiError` and shows its message as is: our `UserError` messages must stand alone.
 * - A thrown HTTP error (non-2xx status) is matched only against `responseCode` rules, which see
 *   the status and nothing else; without a match the user sees the bare status text ("Bad
 *   Request"). Alibaba answers a wrong AccessKey ID with 404 or 400 (sources disagree) and a wrong
 *   secret with 400, like many other problems, so status codes cannot tell them apart.
 * - A network failure shows its code (`ENOTFOUND`, `ECONNREFUSED`, ...).
 * - A response that does not throw is checked against `responseSuccessBody` rules:
 *   `get(body, key) === value` gives `{ status: 'Error', message }`; no match means "Connection
 *   successful!". The `rules` type takes one kind of rule or the other, not both.
 * So the test asks n8n not to throw on HTTP errors (`ignoreHttpStatusErrors`) and tells the cases
 * apart by the `Code` of Alibaba's JSON error body, the only reliable signal
 * (docs/errors.md#credential-test). A last rule turns every answer without `AccountId` (any other
 * error, or a non-STS server behind a custom endpoint) into a failure, so only a real
 * GetCallerIdentity answer passes.
 */
const codeRule = (code: string, message: string): IAuthenticateRuleResponseSuccessBody => ({
	type: 'responseSuccessBody',
	properties: { key: 'Code', value: code, message },
});

const CREDENTIAL_TEST_RULES: IAuthenticateRuleResponseSuccessBody[] = [
	...Object.entries(CREDENTIAL_PROBLEMS).map(([code, message]) => codeRule(code, message)),
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'AccountId',
			value: undefined,
			message:
				'Alibaba Cloud did not confirm this AccessKey: the STS GetCallerIdentity test call failed. ' +
				'Check the AccessKey ID, AccessKey Secret, Security Token, region and endpoint settings.',
		},
	},
];

export class AlibabaCloudAccessKeyApi implements ICredentialType {
	name = 'alibabaCloudAccessKeyApi';

	displayName = 'Alibaba Cloud AccessKey API';

	documentationUrl = 'https://github.com/n8n-nodes-apsaramq/n8n-nodes-apsaramq#credentials';

	icon: Icon = {
		light: 'file:../icons/alibabaCloud.svg',
		dark: 'file:../icons/alibabaCloud.dark.svg',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'AccessKey ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			required: true,
			description:
				'The ID of a RAM user AccessKey (RAM console → Users → AccessKey), or of STS temporary ' +
				'credentials. Surrounding spaces are removed.',
		},
		{
			displayName: 'AccessKey Secret',
			name: 'accessKeySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The secret that belongs to the AccessKey ID. It is only used to sign requests and is ' +
				'never sent. Surrounding spaces and line breaks are removed.',
		},
		{
			displayName: 'Temporary Credentials',
			name: 'temporaryCredentials',
			type: 'boolean',
			default: false,
			description:
				'Whether the AccessKey comes from STS (for example AssumeRole) and needs a security token',
		},
		{
			displayName: 'Security Token',
			name: 'securityToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { temporaryCredentials: [true] } },
			description:
				'The STS security token returned together with the temporary AccessKey ID and secret. ' +
				'Temporary credentials expire; update all three fields together.',
		},
		{
			displayName: 'Region',
			name: 'regionId',
			type: 'options',
			options: REGIONS,
			default: 'cn-hangzhou',
			description:
				'The region of your ApsaraMQ instance; API calls go to the endpoints of that region. For a ' +
				'region not listed here, use a custom endpoint.',
		},
		{
			displayName: 'Endpoint Type',
			name: 'endpointType',
			type: 'options',
			options: [
				{
					name: 'Public',
					value: 'public',
					description: 'https://{product}.{region}.aliyuncs.com, reachable from the Internet',
				},
				{
					name: 'VPC',
					value: 'vpc',
					description:
						'https://{product}-vpc.{region}.aliyuncs.com, reachable only from an Alibaba Cloud VPC in the same region',
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'One base URL of your choice for every API call',
				},
			],
			default: 'public',
			description:
				'Where API calls go. {product} is onsmqtt for ApsaraMQ for MQTT and ons for RocketMQ 4.x; ' +
				'the credential test calls STS (sts or sts-vpc) the same way.',
		},
		{
			displayName: 'Custom Endpoint',
			name: 'customEndpoint',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://onsmqtt-vpc.cn-hangzhou.aliyuncs.com',
			displayOptions: { show: { endpointType: ['custom'] } },
			description:
				'Base URL used for every API call (MQTT, RocketMQ and the STS credential test), for ' +
				'example a private endpoint, an API gateway or a local emulator. A path prefix is kept. ' +
				'It must use https://; http:// is accepted only for localhost, 127.x.x.x and [::1].',
		},
		{
			displayName: 'Signature Version',
			name: 'signatureVersion',
			type: 'options',
			options: [
				{
					name: 'V3 (ACS3-HMAC-SHA256)',
					value: 'v3',
					description: 'Current Alibaba Cloud signature, used by the official SDKs',
				},
				{
					name: 'V2 (HMAC-SHA1)',
					value: 'v2',
					description: 'Older RPC signature (SignatureVersion 1.0), still accepted by the gateway',
				},
			],
			default: 'v3',
			description:
				'How requests are signed. Keep V3 unless a gateway in between only understands V2.',
		},
	];

	/**
	 * Signs every request made with this credential, the credential test included. The node names
	 * the API in the `x-acs-action` / `x-acs-version` headers and passes business parameters in
	 * `qs`; this returns `POST <base URL>/` with the signed form body, `qs` and `baseURL` cleared
	 * (n8n would re-encode `qs` and combine `baseURL`), redirects turned off, and every other option
	 * untouched.
	 *
	 * A request carrying `x-apsaramq-signing: mq-http` is a RocketMQ HTTP protocol request instead:
	 * it is signed with the MQ signature (docs/signing.md#mq-http) and keeps its URL and XML body.
	 *
	 * Time and nonce are taken here, fresh on every call, so each retry is signed anew
	 * (docs/n8n-behaviour.md#authenticate). Signing errors propagate as `UserError`: an unsigned
	 * request would only earn an opaque rejection.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		try {
			const settings = readSigningSettings(credentials);
			if (isMqHttpRequest(requestOptions)) {
				// Redirects off for the same reason as below (docs/errors.md#redirects).
				return {
					...signMqHttpOptions(requestOptions, settings.credentials, new Date()),
					disableFollowRedirect: true,
				};
			}
			const signed = signRequest(
				{ ...settings, request: readRpcRequest(requestOptions) },
				{ now: new Date(), nonce: randomUUID() },
			);
			return {
				...requestOptions,
				method: signed.method,
				url: signed.url,
				baseURL: undefined,
				qs: undefined,
				body: signed.body,
				headers: signed.headers,
				// A signed request goes to the configured endpoint only: n8n would otherwise follow a
				// redirect with the AccessKey ID, the token and the signature, the credential test's
				// request included (docs/errors.md#redirects).
				disableFollowRedirect: true,
			};
		} catch (error) {
			if (error instanceof SigningError) throw new UserError(error.message);
			throw error;
		}
	}

	/**
	 * STS `GetCallerIdentity` needs no permission, so it checks the AccessKey itself, whatever the
	 * RAM user may do in ApsaraMQ. It goes through `authenticate`, so it uses the configured
	 * region, endpoint type (custom included) and signature version. (Alibaba's generated STS SDK
	 * still defaults to V2; V3 acceptance by STS follows from the V3 documentation's "every product
	 * with an SDK" statement but has not been observed first-hand.)
	 */
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '/',
			headers: { 'x-acs-action': 'GetCallerIdentity', 'x-acs-version': '2015-04-01' },
			ignoreHttpStatusErrors: true,
		},
		rules: CREDENTIAL_TEST_RULES,
	};
}
