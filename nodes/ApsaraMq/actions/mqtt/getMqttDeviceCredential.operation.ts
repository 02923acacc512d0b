import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { answerText } from '../../transport/answer';
import { GET_DEVICE_CREDENTIAL } from '../../transport/apis';
import { resourceId } from '../../validation/fields';
import { mqttClientId } from '../../validation/mqttAccessFields';
import { fieldLabels, parseFields } from '../../validation/parse';
import type { Operation, PreparedCall } from '../operation';
import { retryFields } from '../operation';
import { deviceCredentialOutput } from './deviceCredentialOutput';
import { accessOptions, deviceClientIdField, mqttInstanceLocator } from './mqttAccessShared';
import { readConnectSettings } from './mqttConnect';

// https://help.aliyun.com/zh/apsaramq-for-mqtt/api-getdevicecredential (onsmqtt 2020-04-20)

const properties: INodeProperties[] = [
	mqttInstanceLocator,
	deviceClientIdField,
	accessOptions(GET_DEVICE_CREDENTIAL, { connect: true }),
];

const paramsSchema = z.object({ instanceId: resourceId, clientId: mqttClientId });
const LABELS = fieldLabels(properties);

async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedCall> {
	const input = parseFields(this, itemIndex, paramsSchema, LABELS);
	const settings = await readConnectSettings(this, itemIndex, input.instanceId);
	return {
		params: { InstanceId: input.instanceId, ClientId: input.clientId },
		// An answer without DeviceCredential means no credential (docs/mqtt-access.md#device-credentials).
		toOutput: (result) => [
			result.body.DeviceCredential
				? deviceCredentialOutput(this, itemIndex, result, input, settings)
				: {
						registered: false,
						clientId: input.clientId,
						instanceId: input.instanceId,
						requestId: answerText(result.body.RequestId),
						...retryFields(result),
					},
		],
	};
}

export const getMqttDeviceCredential: Operation = {
	value: 'getMqttDeviceCredential',
	name: 'Get MQTT Device Credential',
	action: 'Get an MQTT device credential',
	description: 'Read the credential of a device, with a ready connect object',
	target: 'clientId',
	api: GET_DEVICE_CREDENTIAL,
	properties,
	prepare,
};
