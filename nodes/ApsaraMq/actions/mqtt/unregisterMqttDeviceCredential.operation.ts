import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { answerText } from '../../transport/answer';
import { UNREGISTER_DEVICE_CREDENTIAL } from '../../transport/apis';
import { resourceId } from '../../validation/fields';
import { mqttClientId } from '../../validation/mqttAccessFields';
import { fieldLabels, parseFields } from '../../validation/parse';
import type { Operation, PreparedCall } from '../operation';
import { retryFields } from '../operation';
import { accessOptions, deviceClientIdField, mqttInstanceLocator } from './mqttAccessShared';

// https://www.alibabacloud.com/help/en/apsaramq-for-mqtt/api-unregisterdevicecredential (onsmqtt 2020-04-20)

const properties: INodeProperties[] = [
	mqttInstanceLocator,
	deviceClientIdField,
	accessOptions(UNREGISTER_DEVICE_CREDENTIAL, { connect: false }),
];

const paramsSchema = z.object({ instanceId: resourceId, clientId: mqttClientId });
const LABELS = fieldLabels(properties);

async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedCall> {
	const input = parseFields(this, itemIndex, paramsSchema, LABELS);
	return {
		params: { InstanceId: input.instanceId, ClientId: input.clientId },
		toOutput: (result) => [
			{
				unregistered: true,
				clientId: input.clientId,
				instanceId: input.instanceId,
				requestId: answerText(result.body.RequestId),
				...retryFields(result),
			},
		],
	};
}

export const unregisterMqttDeviceCredential: Operation = {
	value: 'unregisterMqttDeviceCredential',
	name: 'Unregister MQTT Device Credential',
	action: 'Unregister an MQTT device credential',
	description: 'Delete the credential of a device; it can no longer log in with it',
	target: 'clientId',
	api: UNREGISTER_DEVICE_CREDENTIAL,
	properties,
	prepare,
};
