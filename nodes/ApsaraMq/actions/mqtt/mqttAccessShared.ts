import type { INodeProperties } from 'n8n-workflow';

import type { AlibabaApi } from '../../transport/apis';
import { callOptionsDescription } from '../callOptions';
import { resourceLocator } from '../resourceLocator';
import { connectOptions } from './mqttConnect';

/** The fields the token, status and device operations share. */

export const mqttInstanceLocator = resourceLocator({
	displayName: 'Instance',
	name: 'instanceId',
	description: 'The ApsaraMQ for MQTT instance, e.g. post-cn-0pp12gl0001',
	example: 'post-cn-0pp12gl0001',
	searchListMethod: 'searchMqttInstances',
});

export const deviceClientIdField: INodeProperties = {
	displayName: 'Client ID',
	name: 'clientId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. GID_devices@@@sensor-42',
	description:
		"The MQTT client ID of the device: a group ID created in the console, @@@, and the device's own ID. Example: GID_devices@@@sensor-42.",
};

/** The Options collection, with Connect Host and Connect Port when the output has a `connect` object. */
export function accessOptions(api: AlibabaApi, { connect }: { connect: boolean }): INodeProperties {
	const base = callOptionsDescription(api, { sends: false });
	if (!connect) return base;
	const options = [...(base.options as INodeProperties[]), ...connectOptions].sort((a, b) =>
		a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : 0,
	);
	return { ...base, options };
}
