import { readSigningSettings } from '../../nodes/ApsaraMq/transport/signing';
import { signingErrorOf } from './signingErrorOf';

/** Credential fields → signing settings (docs/signing.md#credential-fields). */

const SECRET = 'sEcReT-value-42';

describe('readSigningSettings', () => {
	it('reads a complete credential with defaults for the optional fields', () => {
		expect(
			readSigningSettings({
				accessKeyId: 'LTAIid',
				accessKeySecret: SECRET,
				regionId: 'cn-beijing',
			}),
		).toEqual({
			credentials: { accessKeyId: 'LTAIid', accessKeySecret: SECRET },
			signatureVersion: 'v3',
			endpoint: { endpointType: 'public', regionId: 'cn-beijing', customEndpoint: '' },
		});
	});

	it('trims the AccessKey ID, secret, token, region and custom endpoint', () => {
		const settings = readSigningSettings({
			accessKeyId: '  LTAIid\n',
			accessKeySecret: `\t${SECRET} \n`,
			temporaryCredentials: true,
			securityToken: ' token== \r\n',
			regionId: ' cn-shanghai ',
			endpointType: 'custom',
			customEndpoint: ' https://gw.example.com ',
			signatureVersion: 'v2',
		});
		expect(settings).toEqual({
			credentials: { accessKeyId: 'LTAIid', accessKeySecret: SECRET, securityToken: 'token==' },
			signatureVersion: 'v2',
			endpoint: {
				endpointType: 'custom',
				regionId: 'cn-shanghai',
				customEndpoint: 'https://gw.example.com',
			},
		});
	});

	it('ignores a leftover security token when Temporary Credentials is off', () => {
		const settings = readSigningSettings({
			accessKeyId: 'id',
			accessKeySecret: SECRET,
			temporaryCredentials: false,
			securityToken: 'stale',
			regionId: 'cn-hangzhou',
		});
		expect(settings.credentials).toEqual({ accessKeyId: 'id', accessKeySecret: SECRET });
	});

	it('lists every problem at once, naming each field, never the secret', () => {
		const error = signingErrorOf(() =>
			readSigningSettings({
				accessKeyId: '   ',
				accessKeySecret: '',
				temporaryCredentials: true,
				securityToken: ' ',
				regionId: '',
				signatureVersion: 'v4',
			}),
		);
		expect(error.message).toContain('AccessKey ID (accessKeyId) is empty');
		expect(error.message).toContain('AccessKey Secret (accessKeySecret) is empty');
		expect(error.message).toContain('Security Token (securityToken) is empty');
		expect(error.message).toContain('Region (regionId) is empty');
		expect(error.message).toContain('Signature Version (signatureVersion) "v4"');
		expect(error.field).toBe('accessKeyId');
	});

	it.each([
		[{ accessKeySecret: SECRET, regionId: 'cn-hangzhou' }, 'accessKeyId'],
		[{ accessKeyId: 'id', accessKeySecret: ' \n ', regionId: 'cn-hangzhou' }, 'accessKeySecret'],
		[
			{ accessKeyId: 'id', accessKeySecret: SECRET, regionId: 'x', temporaryCredentials: true },
			'securityToken',
		],
		[{ accessKeyId: 'id', accessKeySecret: SECRET, endpointType: 'custom' }, 'customEndpoint'],
		[{ accessKeyId: 'id', accessKeySecret: SECRET, endpointType: 'private' }, 'endpointType'],
		[{ accessKeyId: 'id', accessKeySecret: SECRET, endpointType: 'vpc' }, 'regionId'],
	])('refuses %j naming %s', (data, field) => {
		const error = signingErrorOf(() => readSigningSettings(data));
		expect(error.field).toBe(field);
		expect(error.message).not.toContain(SECRET);
	});

	it('does not need a region for a custom endpoint', () => {
		expect(
			readSigningSettings({
				accessKeyId: 'id',
				accessKeySecret: SECRET,
				endpointType: 'custom',
				customEndpoint: 'http://127.0.0.1:1',
			}).endpoint,
		).toEqual({ endpointType: 'custom', regionId: '', customEndpoint: 'http://127.0.0.1:1' });
	});
});
