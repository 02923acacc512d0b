import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { answerText } from '../../transport/answer';
import type { CallResult } from '../../transport/client';
import { operationError } from '../../transport/errors';
import { retryFields } from '../operation';
import { deviceConnect, type ConnectSettings } from './mqttConnect';

/**
 * The output of Register and Get MQTT Device Credential: the API's DeviceCredential in camelCase,
 * and a `connect` object in the DeviceCredential login mode (docs/mqtt-access.md#login-modes).
 */
export function deviceCredentialOutput(
	context: IExecuteFunctions,
	itemIndex: number,
	result: CallResult,
	input: { instanceId: string; clientId: string },
	settings: ConnectSettings,
): IDataObject {
	const credential = (result.body.DeviceCredential ?? {}) as IDataObject;
	const deviceAccessKeyId = answerText(credential.DeviceAccessKeyId);
	const deviceAccessKeySecret = answerText(credential.DeviceAccessKeySecret);
	if (!deviceAccessKeyId || !deviceAccessKeySecret) {
		throw operationError(context.getNode(), 'The answer holds no device credential', {
			itemIndex,
			description: `Alibaba Cloud answered without DeviceAccessKeyId or DeviceAccessKeySecret (request ID ${answerText(result.body.RequestId) ?? 'unknown'}).`,
		});
	}
	const clientId = answerText(credential.ClientId) ?? input.clientId;
	return {
		registered: true,
		clientId,
		instanceId: answerText(credential.InstanceId) ?? input.instanceId,
		deviceAccessKeyId,
		deviceAccessKeySecret,
		createTime: credential.CreateTime,
		updateTime: credential.UpdateTime,
		requestId: answerText(result.body.RequestId),
		connect: deviceConnect(settings, { clientId, deviceAccessKeyId, deviceAccessKeySecret }),
		...retryFields(result),
	};
}
