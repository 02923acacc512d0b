/**
 * Alibaba's `@aliyunmq/mq-http-sdk` in a serial loop, as a user would write it in a Code node:
 * one `MQClient`, one producer, then `await producer.publishMessage(...)` for one item after
 * another, each with a message key (as the node always sends one) and, for the ordered topic, the
 * sharding key of the node's ordered variant. Run as a plain script (by the benchmark, with n8n's
 * Node.js 24):
 *
 *   node .tooling/test/bench/sdkPublishSerial.js <emulator url> <items> [ordered]
 *
 * Prints one JSON line: loop wall time, publishes, failures by code, latency percentiles, CPU.
 */
import { sdkClient, sdkProperties } from '../emulator/mqHttp/sdk-client';
import { ORDERED_TOPIC, PUBLISH_TOPIC, shardingKeyOf } from './publishWorkflows';
import { itemJson, ONS_INSTANCE } from './workflows';

export interface SdkPublishResult {
	sdk: '@aliyunmq/mq-http-sdk';
	sdkVersion: string;
	nodeVersion: string;
	ordered: boolean;
	items: number;
	ok: number;
	failures: Record<string, number>;
	loopMs: number;
	latencyMs: { p50: number; p90: number; p99: number; max: number };
	cpuMs: number;
}

function sdkVersion(): string {
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		return (require('@aliyunmq/mq-http-sdk/package.json') as { version: string }).version;
	} catch {
		return 'unknown';
	}
}

export async function runSdkPublishSerial(
	url: string,
	items: number,
	ordered: boolean,
): Promise<SdkPublishResult> {
	const producer = sdkClient(url).getProducer(
		ONS_INSTANCE,
		ordered ? ORDERED_TOPIC : PUBLISH_TOPIC,
	);
	const latencies: number[] = [];
	const failures: Record<string, number> = {};
	let ok = 0;
	const cpuStart = process.cpuUsage();
	const started = process.hrtime.bigint();
	for (let i = 0; i < items; i++) {
		const t0 = process.hrtime.bigint();
		try {
			const properties = sdkProperties({
				key: `sdk-bench-${i}`,
				shardingKey: ordered ? shardingKeyOf(i) : undefined,
			});
			await producer.publishMessage(JSON.stringify(itemJson(i)), '', properties);
			ok++;
		} catch (error) {
			const code = String((error as { Code?: unknown }).Code ?? (error as Error).name);
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
		sdk: '@aliyunmq/mq-http-sdk',
		sdkVersion: sdkVersion(),
		nodeVersion: process.version,
		ordered,
		items,
		ok,
		failures,
		loopMs,
		latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies[latencies.length - 1] },
		cpuMs: (cpu.user + cpu.system) / 1000,
	};
}

if (require.main === module) {
	const [url, count, mode] = process.argv.slice(2);
	if (!url || !count || (mode !== undefined && mode !== 'ordered')) {
		console.error('usage: sdkPublishSerial.js <emulator url> <items> [ordered]');
		process.exit(2);
	}
	runSdkPublishSerial(url, Number(count), mode === 'ordered').then(
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
