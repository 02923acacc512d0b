/**
 * Alibaba's official SDK in a serial loop, as a user would write it in a Code node: one client,
 * then `await client.callApi(...)` for one item after another. Run as a plain script (by the
 * benchmark, with n8n's Node.js 24):
 *
 *   node .tooling/test/bench/sdkSerial.js <emulator url> <items> [openapi-client|pop-core]
 *
 * Prints one JSON line: loop wall time, calls, failures by code, latency percentiles, CPU.
 */
import OpenApiClient, { Config, OpenApiRequest, Params } from '@alicloud/openapi-client';
import RPCClient from '@alicloud/pop-core';
import * as $Util from '@alicloud/tea-util';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { MQTT_INSTANCE, MQTT_TOPIC, itemJson } from './workflows';

export type SdkName = 'openapi-client' | 'pop-core';

export interface SdkSerialResult {
	sdk: SdkName;
	sdkVersion: string;
	nodeVersion: string;
	items: number;
	ok: number;
	failures: Record<string, number>;
	loopMs: number;
	latencyMs: { p50: number; p90: number; p99: number; max: number };
	cpuMs: number;
}

type Send = (payload: string) => Promise<unknown>;

function openApiSender(url: string): Send {
	const { host } = new URL(url);
	// What Alibaba's API Explorer generates for a generic RPC call (V3 signature, the default).
	const client = new OpenApiClient(
		new Config({
			accessKeyId: 'testid',
			accessKeySecret: 'testsecret',
			endpoint: host,
			protocol: 'http',
		}),
	);
	const params = new Params({
		action: 'SendMessage',
		version: '2020-04-20',
		protocol: 'HTTP',
		pathname: '/',
		method: 'POST',
		authType: 'AK',
		style: 'RPC',
		reqBodyType: 'formData',
		bodyType: 'json',
	});
	return async (payload) => {
		const request = new OpenApiRequest({
			query: { InstanceId: MQTT_INSTANCE, MqttTopic: MQTT_TOPIC, Payload: payload },
		});
		const runtime = new $Util.RuntimeOptions({});
		return await client.callApi(params, request, runtime);
	};
}

function popCoreSender(url: string): Send {
	const client = new RPCClient({
		accessKeyId: 'testid',
		accessKeySecret: 'testsecret',
		endpoint: url,
		apiVersion: '2020-04-20',
	});
	return async (payload) =>
		await client.request(
			'SendMessage',
			{ InstanceId: MQTT_INSTANCE, MqttTopic: MQTT_TOPIC, Payload: payload },
			{ method: 'POST' },
		);
}

function packageVersion(name: string): string {
	try {
		for (
			let dir = path.dirname(require.resolve(name));
			dir !== path.dirname(dir);
			dir = path.dirname(dir)
		) {
			const file = path.join(dir, 'package.json');
			if (!existsSync(file)) continue;
			const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
			if (manifest.name === name) return manifest.version;
		}
		return 'unknown';
	} catch {
		return 'unknown';
	}
}

export async function runSdkSerial(
	url: string,
	items: number,
	sdk: SdkName,
): Promise<SdkSerialResult> {
	const send = sdk === 'pop-core' ? popCoreSender(url) : openApiSender(url);
	const latencies: number[] = [];
	const failures: Record<string, number> = {};
	let ok = 0;
	const cpuStart = process.cpuUsage();
	const started = process.hrtime.bigint();
	for (let i = 0; i < items; i++) {
		const t0 = process.hrtime.bigint();
		try {
			await send(JSON.stringify(itemJson(i)));
			ok++;
		} catch (error) {
			const code = String((error as { code?: unknown }).code ?? (error as Error).name);
			failures[code] = (failures[code] ?? 0) + 1;
		}
		latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
	}
	const loopMs = Number(process.hrtime.bigint() - started) / 1e6;
	const cpu = process.cpuUsage(cpuStart);
	latencies.sort((a, b) => a - b);
	const at = (p: number) =>
		latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
	return {
		sdk,
		sdkVersion: packageVersion(
			sdk === 'pop-core' ? '@alicloud/pop-core' : '@alicloud/openapi-client',
		),
		nodeVersion: process.version,
		items,
		ok,
		failures,
		loopMs,
		latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies[latencies.length - 1] },
		cpuMs: (cpu.user + cpu.system) / 1000,
	};
}

if (require.main === module) {
	const [url, count, sdk = 'openapi-client'] = process.argv.slice(2);
	if (!url || !count || (sdk !== 'openapi-client' && sdk !== 'pop-core')) {
		console.error('usage: sdkSerial.js <emulator url> <items> [openapi-client|pop-core]');
		process.exit(2);
	}
	runSdkSerial(url, Number(count), sdk).then(
		(result) => {
			console.log(JSON.stringify(result));
			process.exit(0);
		},
		(error: unknown) => {
			console.error(error);
			process.exit(1);
		},
	);
}
