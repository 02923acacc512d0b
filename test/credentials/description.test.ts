import { existsSync, readFileSync } from 'fs';
import type {
	IAuthenticateRuleResponseSuccessBody,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { join } from 'path';

import { AlibabaCloudAccessKeyApi } from '../../credentials/AlibabaCloudAccessKeyApi.credentials';
import { ONS_MESSAGE_PUSH, SEND_MESSAGE } from '../../nodes/ApsaraMq/transport/apis';
import { CREDENTIAL_PROBLEMS } from '../../nodes/ApsaraMq/transport/credentialProblems';
import { hintFor } from '../../nodes/ApsaraMq/transport/errors';

/**
 * The credential's description against docs/interface.md#credential, and its test rules replayed the way
 * n8n 2.41's credentials tester applies them (see the comment in the credential file).
 */

const credential = new AlibabaCloudAccessKeyApi();
const property = (name: string): INodeProperties => {
	const found = credential.properties.find((p) => p.name === name);
	if (!found) throw new Error(`no property ${name}`);
	return found;
};

describe('credential description', () => {
	it('has the fixed public names', () => {
		expect(credential.name).toBe('alibabaCloudAccessKeyApi');
		expect(credential.displayName).toBe('Alibaba Cloud AccessKey API');
		expect(credential.documentationUrl).toBe(
			'https://github.com/n8n-nodes-apsaramq/n8n-nodes-apsaramq#credentials',
		);
	});

	it('has existing, distinct light and dark icons', () => {
		expect(credential.icon).toEqual({
			light: 'file:../icons/alibabaCloud.svg',
			dark: 'file:../icons/alibabaCloud.dark.svg',
		});
		const root = join(__dirname, '..', '..');
		const light = readFileSync(join(root, 'icons', 'alibabaCloud.svg'), 'utf8');
		const dark = readFileSync(join(root, 'icons', 'alibabaCloud.dark.svg'), 'utf8');
		expect(existsSync(join(root, 'icons', 'alibabaCloud.svg'))).toBe(true);
		expect(light).not.toBe(dark);
	});

	it('has exactly the interface fields, in order, with their types and defaults', () => {
		expect(credential.properties.map((p) => [p.name, p.type, p.default])).toEqual([
			['accessKeyId', 'string', ''],
			['accessKeySecret', 'string', ''],
			['temporaryCredentials', 'boolean', false],
			['securityToken', 'string', ''],
			['regionId', 'options', 'cn-hangzhou'],
			['endpointType', 'options', 'public'],
			['customEndpoint', 'string', ''],
			['signatureVersion', 'options', 'v3'],
		]);
	});

	it('masks the secret and the token, and only them', () => {
		const masked = credential.properties.filter((p) => p.typeOptions?.password === true);
		expect(masked.map((p) => p.name)).toEqual(['accessKeySecret', 'securityToken']);
	});

	it('shows the token only with temporary credentials and the URL only for custom endpoints', () => {
		expect(property('securityToken').displayOptions).toEqual({
			show: { temporaryCredentials: [true] },
		});
		expect(property('customEndpoint').displayOptions).toEqual({
			show: { endpointType: ['custom'] },
		});
		expect(property('customEndpoint').placeholder).toMatch(/^e\.g\. https:\/\//);
	});

	it('describes every field', () => {
		for (const p of credential.properties) {
			expect(p.description && p.description.length > 20).toBe(true);
		}
	});

	it('offers every region of docs/endpoints.md#regions except the closed Sydney, with readable names', () => {
		const options = property('regionId').options as INodePropertyOptions[];
		const values = options.map((o) => o.value);
		expect([...values].sort()).toEqual(
			[
				'cn-qingdao',
				'cn-beijing',
				'cn-zhangjiakou',
				'cn-huhehaote',
				'cn-wulanchabu',
				'cn-hangzhou',
				'cn-shanghai',
				'cn-shenzhen',
				'cn-guangzhou',
				'cn-chengdu',
				'cn-hongkong',
				'ap-southeast-1',
				'ap-southeast-3',
				'ap-southeast-5',
				'ap-southeast-6',
				'ap-northeast-1',
				'mq-internet-access',
				'eu-central-1',
				'us-west-1',
				'us-east-1',
				'eu-west-1',
				'me-east-1',
				'ap-south-1',
			].sort(),
		);
		expect(values).not.toContain('ap-southeast-2');
		for (const option of options) expect(option.name).toMatch(new RegExp(` - ${option.value}$`));
		expect(options.find((o) => o.value === 'cn-hangzhou')?.name).toBe(
			'China (Hangzhou) - cn-hangzhou',
		);
		const names = options.map((o) => o.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});

	it('offers the endpoint types and signature versions of the interface', () => {
		expect(
			(property('endpointType').options as INodePropertyOptions[]).map((o) => o.value),
		).toEqual(['public', 'vpc', 'custom']);
		expect(
			(property('signatureVersion').options as INodePropertyOptions[]).map((o) => o.value),
		).toEqual(['v3', 'v2']);
	});
});

/**
 * n8n 2.41 credentials tester, for a response that did not throw: the first
 * `responseSuccessBody` rule with `get(body, key) === value` turns the test into that error
 * message; none matching means "Connection successful!".
 */
function replayTester(body: unknown): string {
	const rules = (credential.test.rules ?? []) as IAuthenticateRuleResponseSuccessBody[];
	for (const rule of rules) {
		const value =
			body !== null && typeof body === 'object'
				? (body as Record<string, unknown>)[rule.properties.key]
				: undefined;
		if (value === rule.properties.value) return rule.properties.message;
	}
	return 'Connection successful!';
}

describe('credential test', () => {
	it('calls STS GetCallerIdentity without throwing on HTTP errors, so rules see the body', () => {
		expect(credential.test.request).toEqual({
			method: 'POST',
			url: '/',
			headers: { 'x-acs-action': 'GetCallerIdentity', 'x-acs-version': '2015-04-01' },
			ignoreHttpStatusErrors: true,
		});
		expect(credential.test.rules?.every((r) => r.type === 'responseSuccessBody')).toBe(true);
	});

	const error = (Code: string) => ({
		RequestId: 'R',
		HostId: 'sts.aliyuncs.com',
		Code,
		Message: 'm',
		Recommend: 'https://api.aliyun.com/troubleshoot',
	});

	it('passes a real GetCallerIdentity answer', () => {
		expect(
			replayTester({
				AccountId: '1968132000120000',
				Arn: 'acs:ram::1968132000120000:user/n8n',
				IdentityType: 'RAMUser',
				PrincipalId: '2887742443752100',
				RequestId: '3C87BF47-3724-5443-ADC1-5AEAD9A03EB1',
				UserId: '2169593390000000',
			}),
		).toBe('Connection successful!');
	});

	it('tells a wrong AccessKey ID, a wrong secret and a working pair apart', () => {
		const wrongId = replayTester(error('InvalidAccessKeyId.NotFound'));
		const wrongSecret = replayTester(error('SignatureDoesNotMatch'));
		expect(wrongId).toMatch(/does not know this AccessKey ID/);
		expect(wrongSecret).toMatch(/AccessKey Secret is wrong/);
		expect(wrongId).not.toBe(wrongSecret);
	});

	it.each([
		['InvalidAccessKeyId.Inactive', /disabled/],
		['InvalidTimeStamp.Expired', /clock/],
		['InvalidSecurityToken.Expired', /expired/],
		['InvalidSecurityToken.MismatchWithAccessKey', /does not belong/],
		['InvalidSecurityToken.Malformed', /malformed/],
		['MissingSecurityToken', /Temporary Credentials/],
		['IncompleteSignature', /signature/],
		['SignatureNonceUsed', /transient/],
		['InvalidApi.NotFound', /custom endpoint/],
		['InvalidProduct.NotFound', /custom endpoint/],
	])('explains %s', (code, message) => {
		expect(replayTester(error(code))).toMatch(message);
	});

	it.each(Object.keys(CREDENTIAL_PROBLEMS))(
		'explains %s in the same words as the node does when a call fails with it',
		(code) => {
			const message = replayTester(error(code));
			expect(message).toBe(CREDENTIAL_PROBLEMS[code]);
			expect(hintFor(code, SEND_MESSAGE)).toBe(message);
			expect(hintFor(code, ONS_MESSAGE_PUSH)).toBe(message);
		},
	);

	it.each([
		['another Alibaba error', error('Forbidden.RAM')],
		['an HTML page from a proxy', '<html>Bad gateway</html>'],
		['an empty body', ''],
		['a JSON body without AccountId', { ok: true }],
	])('fails on %s with the generic message', (_label, body) => {
		expect(replayTester(body)).toMatch(/did not confirm this AccessKey/);
	});
});
