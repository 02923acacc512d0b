import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { REGISTER_DEVICE_CREDENTIAL } from '../../transport/apis';
import { resourceId } from '../../validation/fields';
import { mqttClientId } from '../../validation/mqttAccessFields';
import { fieldLabels, parseFields } from '../../validation/parse';
import type { Operation, PreparedCall } from '../operation';
import { deviceCredentialOutput } from './deviceCredentialOutput';
import { accessOptions, deviceClientIdField, mqttInstanceLocator } from './mqttAccessShared';
import { readConnectSettings } from './mqttConnect';

// https://help.aliyun.com/zh/apsaramq-for-mqtt/mqtt-upgraded/developer-reference/api-onsmqtt-2020-04-20-registerdevicecredential

const properties: INodeProperties[] = [
	{
		displayName:
			'One credential per device: registering a device again replaces its credential, and the old one stops working. The output holds the device secret and a ready connect object; store them safely.',
		name: 'registerMqttDeviceCredentialNotice',
		type: 'notice',
		default: '',
	},
	mqttInstanceLocator,
	deviceClientIdField,
	accessOptions(REGISTER_DEVICE_CREDENTIAL, { connect: true }),
];

const paramsSchema = z.object({ instanceId: resourceId, clientId: mqttClientId });
const LABELS = fieldLabels(properties);

async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedCall> {
	const input = parseFields(this, itemIndex, paramsSchema, LABELS);
	const settings = await readConnectSettings(this, itemIndex, input.instanceId);
	return {
		params: { InstanceId: input.instanceId, ClientId: input.clientId },
		toOutput: (result) => [deviceCredentialOutput(this, itemIndex, result, input, settings)],
	};
}

export const registerMqttDeviceCredential: Operation = {
	value: 'registerMqttDeviceCredential',
	name: 'Register MQTT Device Credential',
	action: 'Register an MQTT device credential',
	description: 'Create the credential a device logs in with (one per client ID)',
	target: 'clientId',
	api: REGISTER_DEVICE_CREDENTIAL,
	properties,
	prepare,
};
