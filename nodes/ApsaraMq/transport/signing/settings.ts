import { ENDPOINT_TYPES } from './endpoint';
import type { EndpointSettings } from './endpoint';
import { SigningError } from './errors';
import { SIGNATURE_VERSIONS } from './signRequest';
import type { SignatureVersion, SigningCredentials } from './signRequest';

/**
 * The credential's fields (docs/interface.md#credential) → typed signing settings, validated at
 * the boundary (docs/signing.md#credential-fields). Keys and token are trimmed: a pasted secret
 * with a trailing space or newline otherwise fails with `SignatureDoesNotMatch`
 * (docs/signing.md#request-basics).
 */

export interface SigningSettings {
	credentials: SigningCredentials;
	signatureVersion: SignatureVersion;
	endpoint: EndpointSettings;
}

/** A credential field as typed, without surrounding spaces; '' when absent. */
function trimmedField(value: unknown): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number') return String(value);
	return '';
}

function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
	return (allowed as readonly string[]).includes(value);
}

/**
 * Reads and checks every field at once, so the user sees all problems in one message. Messages
 * name fields by their label and internal name and never repeat a secret.
 */
export function readSigningSettings(data: Readonly<Record<string, unknown>>): SigningSettings {
	const problems: Array<{ field: string; message: string }> = [];

	const accessKeyId = trimmedField(data.accessKeyId);
	if (accessKeyId === '') {
		problems.push({ field: 'accessKeyId', message: 'AccessKey ID (accessKeyId) is empty' });
	}
	const accessKeySecret = trimmedField(data.accessKeySecret);
	if (accessKeySecret === '') {
		problems.push({
			field: 'accessKeySecret',
			message: 'AccessKey Secret (accessKeySecret) is empty',
		});
	}

	const temporary = data.temporaryCredentials === true || data.temporaryCredentials === 'true';
	const securityToken = temporary ? trimmedField(data.securityToken) : '';
	if (temporary && securityToken === '') {
		problems.push({
			field: 'securityToken',
			message:
				'Security Token (securityToken) is empty although Temporary Credentials is on (paste the ' +
				'STS token, or turn Temporary Credentials off for a long-term AccessKey)',
		});
	}

	const signatureVersionText = trimmedField(data.signatureVersion) || 'v3';
	const signatureVersion = isOneOf(signatureVersionText, SIGNATURE_VERSIONS)
		? signatureVersionText
		: undefined;
	if (signatureVersion === undefined) {
		problems.push({
			field: 'signatureVersion',
			message: `Signature Version (signatureVersion) ${JSON.stringify(signatureVersionText)} is not v3 or v2`,
		});
	}

	const endpointTypeText = trimmedField(data.endpointType) || 'public';
	const endpointType = isOneOf(endpointTypeText, ENDPOINT_TYPES) ? endpointTypeText : undefined;
	if (endpointType === undefined) {
		problems.push({
			field: 'endpointType',
			message: `Endpoint Type (endpointType) ${JSON.stringify(endpointTypeText)} is not public, vpc or custom`,
		});
	}
	const regionId = trimmedField(data.regionId);
	const customEndpoint = trimmedField(data.customEndpoint);
	if (endpointType === 'custom' && customEndpoint === '') {
		problems.push({
			field: 'customEndpoint',
			message: 'Custom Endpoint (customEndpoint) is empty although Endpoint Type is Custom',
		});
	} else if (endpointType !== undefined && endpointType !== 'custom' && regionId === '') {
		problems.push({ field: 'regionId', message: 'Region (regionId) is empty' });
	}

	if (problems.length > 0 || signatureVersion === undefined || endpointType === undefined) {
		throw new SigningError(
			`The Alibaba Cloud AccessKey API credential cannot be used: ${problems
				.map((problem) => problem.message)
				.join(
					'; ',
				)}. Open the credential, correct ${problems.length > 1 ? 'these fields' : 'the field'} and save it.`,
			problems[0]?.field,
		);
	}
	return {
		credentials: { accessKeyId, accessKeySecret, ...(temporary ? { securityToken } : {}) },
		signatureVersion,
		endpoint: { endpointType, regionId, customEndpoint },
	};
}
