// The MQTT token and device examples of examples/ (mqtt-token-server.json,
// mqtt-device-onboarding.json) made ready for the local emulator: their `connect` outputs point at
// the emulator's broker, and the onboarding workflow reads its CSV from an allowed folder. Used by
// the end-to-end tests and by `npm start`'s playground.
import { copyFileSync } from 'node:fs';
import path from 'node:path';

import { examplesDir, loadExample } from './apsaramq';
import type { WorkflowFile } from './workflow';

export const TOKEN_SERVER = {
	file: 'mqtt-token-server.json',
	id: 'apsaraMqTokenServer1',
	webhookPath: 'mqtt-token',
	applyNode: 'Apply MQTT Token',
} as const;

export const DEVICE_ONBOARDING = {
	file: 'mqtt-device-onboarding.json',
	id: 'apsaraMqDevices1',
	csv: 'mqtt-devices.csv',
	readNode: 'Read CSV file',
	registerNode: 'Register MQTT Device Credential',
} as const;

/** Sets Connect Host and Connect Port of every ApsaraMQ node to the emulator's broker. */
function connectToEmulator(workflow: WorkflowFile, mqttPort: number): WorkflowFile {
	for (const node of workflow.nodes) {
		if (node.type !== 'n8n-nodes-apsaramq.apsaraMq') continue;
		const options = (node.parameters?.options ?? {}) as Record<string, unknown>;
		node.parameters = {
			...node.parameters,
			options: { ...options, connectHost: '127.0.0.1', connectPort: mqttPort },
		};
	}
	return workflow;
}

export function tokenServerExample(mqttPort: number): WorkflowFile {
	return connectToEmulator(loadExample(TOKEN_SERVER.file), mqttPort);
}

/** The onboarding example reading `csvPath` (inside a folder of N8N_RESTRICT_FILE_ACCESS_TO). */
export function deviceOnboardingExample(mqttPort: number, csvPath: string): WorkflowFile {
	const workflow = connectToEmulator(loadExample(DEVICE_ONBOARDING.file), mqttPort);
	const read = workflow.nodes.find((node) => node.name === DEVICE_ONBOARDING.readNode);
	if (!read)
		throw new Error(`${DEVICE_ONBOARDING.file} has no node "${DEVICE_ONBOARDING.readNode}"`);
	read.parameters = { ...read.parameters, fileSelector: csvPath };
	return workflow;
}

/** Copies examples/mqtt-devices.csv into `dir`; returns the copy's path. */
export function placeDevicesCsv(dir: string): string {
	const target = path.join(dir, DEVICE_ONBOARDING.csv);
	copyFileSync(path.join(examplesDir(), DEVICE_ONBOARDING.csv), target);
	return target;
}
