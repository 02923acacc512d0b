import { createHmac } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../transport/client';

/**
 * The `connect` object of the token and device outputs: what an MQTT client needs to log in, in
 * the documented login modes (docs/mqtt-access.md#login-modes). The account's AccessKey secret is
 * never part of it: Token logins carry the token, DeviceCredential logins a password computed
 * here from the device's own secret.
 */

/** The MQTT standard ports; the instance's console page shows the real ones (docs/mqtt-access.md#hosts-and-ports). */
const SUGGESTED_PORTS = { port: 1883, tlsPort: 8883, webSocketPort: 80, webSocketTlsPort: 443 };

/** base64(HMAC-SHA1(key = secret, data = client ID)): the DeviceCredential (and Signature) password. */
export function mqttPassword(secret: string, clientId: string): string {
	return createHmac('sha1', secret).update(clientId, 'utf8').digest('base64');
}

/** The options every operation with a `connect` output adds to its Options collection. */
export const connectOptions: INodeProperties[] = [
	{
		displayName: 'Connect Host',
		name: 'connectHost',
		type: 'string',
		default: '',
		placeholder: 'e.g. post-cn-0pp12gl0001.mqtt.aliyuncs.com',
		description:
			"The MQTT host to put in the connect output. Empty: the public or VPC endpoint of the instance, from the credential's endpoint type (none with a custom endpoint). Example: 127.0.0.1.",
	},
	{
		displayName: 'Connect Port',
		name: 'connectPort',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 65535 },
		default: 0,
		description:
			"The MQTT TCP port to put in the connect output. 0: 1883, the MQTT standard port (check the instance's console page). Example: 1883.",
	},
];

interface Login {
	accessKeyId: string;
	endpointType: string;
}

const logins = new WeakMap<object, Promise<Login>>();

/** The credential's AccessKey ID and endpoint type, read once per execution (never its secret). */
async function loginOf(context: IExecuteFunctions): Promise<Login> {
	let login = logins.get(context);
	if (!login) {
		login = context.getCredentials(CREDENTIAL_TYPE).then((data) => ({
			accessKeyId: typeof data.accessKeyId === 'string' ? data.accessKeyId.trim() : '',
			endpointType: typeof data.endpointType === 'string' ? data.endpointType : 'public',
		}));
		logins.set(context, login);
	}
	return await login;
}

function hostFor(instanceId: string, endpointType: string, override: string): string | undefined {
	if (override) return override;
	if (endpointType === 'public') return `${instanceId}.mqtt.aliyuncs.com`;
	if (endpointType === 'vpc') return `${instanceId}-internal-vpc.mqtt.aliyuncs.com`;
	return undefined;
}

/** Where and as whom an item's client connects: read in the checking pass, used with the answer. */
export interface ConnectSettings {
	instanceId: string;
	accessKeyId: string;
	where: IDataObject;
}

export async function readConnectSettings(
	context: IExecuteFunctions,
	itemIndex: number,
	instanceId: string,
): Promise<ConnectSettings> {
	const { accessKeyId, endpointType } = await loginOf(context);
	const override = String(
		context.getNodeParameter('options.connectHost', itemIndex, '') ?? '',
	).trim();
	const port =
		Number(context.getNodeParameter('options.connectPort', itemIndex, 0)) || SUGGESTED_PORTS.port;
	const host = hostFor(instanceId, endpointType, override);
	return {
		instanceId,
		accessKeyId,
		where: { ...(host ? { host } : {}), ...SUGGESTED_PORTS, port },
	};
}

/** Token mode: `Token|{AccessKeyId}|{InstanceId}`, password `{type}|{token}`. */
export function tokenConnect(
	settings: ConnectSettings,
	login: { clientId?: string; type: string; token: string },
): IDataObject {
	return {
		...settings.where,
		...(login.clientId ? { clientId: login.clientId } : {}),
		username: `Token|${settings.accessKeyId}|${settings.instanceId}`,
		password: `${login.type}|${login.token}`,
	};
}

/** DeviceCredential mode: the device's own key and a password signed with its secret. */
export function deviceConnect(
	settings: ConnectSettings,
	device: { clientId: string; deviceAccessKeyId: string; deviceAccessKeySecret: string },
): IDataObject {
	return {
		...settings.where,
		clientId: device.clientId,
		username: `DeviceCredential|${device.deviceAccessKeyId}|${settings.instanceId}`,
		password: mqttPassword(device.deviceAccessKeySecret, device.clientId),
	};
}
