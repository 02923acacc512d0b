/**
 * Scenario `publish` of `npm run bench` (README.md here): Publish RocketMQ Message in n8n against
 * Alibaba's `@aliyunmq/mq-http-sdk` in a serial loop at the emulator's 30 ± 10 ms, with and
 * without sharding keys; its per-item CPU at 0 ms against the HTTP Request node; its signing cost
 * against the SDK's.
 */
import path from 'node:path';

import type { Emulator } from '../emulator';
import type { WorkflowFile } from '../e2e/harness';
import type { BenchConfig } from './config';
import { measureKeyIndex, type KeyIndexFigure } from './keyIndex';
import type { measureRun, RunFigures } from './measure';
import { publishWorkflow } from './publishWorkflows';
import type { SdkPublishResult } from './sdkPublishSerial';
import type { SigningResult } from './signing';
import { httpRequestWorkflow } from './workflows';

export const PUBLISH_ACTION = 'PublishMessage';

const ID = {
	defaults: 'benchPub30msDflt',
	ordered: 'benchPub30msShard',
	zeroOurs: 'benchPubOvhOurs',
	zeroHttp: 'benchPubOvhHttp',
};

/** The emulator's default (0), and index lags shorter and longer than the node's first pause (1 s). */
const KEY_INDEX_DELAYS_MS = [0, 500, 2500];

export type SdkPublishFigures = SdkPublishResult & {
	/** items ÷ loop time */
	perSecond: number;
	emulator: { accepted: number; throttled: number; rejected: Record<string, number> };
};

export interface PublishResults {
	/** Node defaults, 30 ± 10 ms, real quotas. */
	defaults?: RunFigures;
	/** The same to the ordered topic, one sharding key per 10 consecutive rows. */
	ordered?: RunFigures;
	/** The SDK's producer, one publish after another, 30 ± 10 ms. */
	sdkSerial?: SdkPublishFigures;
	/** 0 ms, no quotas: ours (defaults) and the HTTP Request node to the sink. */
	oursZeroLatency?: RunFigures;
	httpRequestZeroLatency?: RunFigures;
	signing?: { runtimes: SigningResult[] };
	/** How soon OnsMessageGetByKey finds a published message, per emulator key index delay. */
	keyIndex?: KeyIndexFigure[];
}

export interface PublishContext {
	config: BenchConfig;
	emulator: Emulator;
	n8nNodeBin: string;
	run: (spec: Parameters<typeof measureRun>[2]) => Promise<RunFigures>;
	step: (name: string, fn: () => Promise<void>) => Promise<void>;
	realLatency: () => void;
	zeroLatency: (recordParams: boolean) => void;
	runScript: <T>(nodeBin: string, script: string, args: string[], timeoutMs: number) => Promise<T>;
	log: (message: string) => void;
	logRun: (figures: RunFigures | undefined) => void;
}

export function publishBenchWorkflows(config: BenchConfig, sinkUrl: string): WorkflowFile[] {
	return [
		publishWorkflow(ID.defaults, config.publishItems),
		publishWorkflow(ID.ordered, config.publishItems, {}, { ordered: true }),
		// Its automatic 4,000/s does not bind at 0 ms either (Max Requests per Second allows at most 1,000).
		publishWorkflow(ID.zeroOurs, config.publishItems),
		httpRequestWorkflow(ID.zeroHttp, config.publishItems, sinkUrl),
	];
}

export async function runPublishScenario(ctx: PublishContext): Promise<PublishResults> {
	const { config, emulator, run, step } = ctx;
	const results: PublishResults = {};
	const items = config.publishItems;
	const pacedTimeout = 180_000 + items * 40;
	const profileDir = config.profileDir;

	await step('publish: signing', async () => {
		const args = [String(config.signRoundMs), String(config.signRounds)];
		const timeout = 20 * 60_000;
		results.signing = {
			runtimes: [
				await ctx.runScript<SigningResult>(ctx.n8nNodeBin, 'signingMq.js', args, timeout),
				await ctx.runScript<SigningResult>(process.execPath, 'signingMq.js', args, timeout),
			],
		};
	});
	await step('publish: node defaults', async () => {
		ctx.realLatency();
		results.defaults = await run({
			label: 'ApsaraMQ node, Publish RocketMQ Message, defaults (4000/s, 64 in flight)',
			workflowId: ID.defaults,
			items,
			action: PUBLISH_ACTION,
			timeoutMs: pacedTimeout,
			cpuProfileDir: profileDir && path.join(profileDir, 'publish-30ms'),
		});
		ctx.logRun(results.defaults);
	});
	await step('publish: node defaults, sharding keys', async () => {
		ctx.realLatency();
		results.ordered = await run({
			label: 'ApsaraMQ node, defaults, ordered topic, one sharding key per 10 consecutive rows',
			workflowId: ID.ordered,
			items,
			action: PUBLISH_ACTION,
			timeoutMs: pacedTimeout,
			cpuProfileDir: profileDir && path.join(profileDir, 'publish-30ms-sharding'),
		});
		ctx.logRun(results.ordered);
	});
	await step('publish: SDK serial loop', async () => {
		ctx.realLatency();
		emulator.reset({ keepKnobs: true });
		const sdk = await ctx.runScript<SdkPublishResult>(
			ctx.n8nNodeBin,
			'sdkPublishSerial.js',
			[emulator.url, String(config.publishSdkItems)],
			180_000 + config.publishSdkItems * 100,
		);
		const counters = emulator.counters()[PUBLISH_ACTION];
		results.sdkSerial = {
			...sdk,
			perSecond: (sdk.items * 1000) / sdk.loopMs,
			emulator: {
				accepted: counters?.accepted ?? 0,
				throttled: counters?.throttled ?? 0,
				rejected: { ...(counters?.rejected ?? {}) },
			},
		};
		ctx.log(
			`  SDK serial (${sdk.sdk} ${sdk.sdkVersion}, Node ${sdk.nodeVersion}): ${sdk.ok}/${sdk.items} ok in ${(sdk.loopMs / 1000).toFixed(1)} s → ${results.sdkSerial.perSecond.toFixed(1)}/s`,
		);
	});
	await step('publish: 0 ms, node defaults', async () => {
		ctx.zeroLatency(true);
		results.oursZeroLatency = await run({
			label: 'ApsaraMQ node, Publish RocketMQ Message, defaults (4000/s, 64 in flight), 0 ms',
			workflowId: ID.zeroOurs,
			items,
			action: PUBLISH_ACTION,
			timeoutMs: 300_000 + items * 40,
			cpuProfileDir: profileDir && path.join(profileDir, 'publish-ours'),
		});
		ctx.logRun(results.oursZeroLatency);
	});
	await step('publish: 0 ms, HTTP Request node', async () => {
		ctx.zeroLatency(true);
		results.httpRequestZeroLatency = await run({
			label: 'HTTP Request node (4.5), unsigned POST to the emulator sink, 0 ms',
			workflowId: ID.zeroHttp,
			items,
			action: 'sink',
			timeoutMs: 300_000 + items * 40,
			cpuProfileDir: profileDir && path.join(profileDir, 'publish-http-request'),
		});
		ctx.logRun(results.httpRequestZeroLatency);
	});
	await step('publish: key index delay', async () => {
		results.keyIndex = await measureKeyIndex(emulator, KEY_INDEX_DELAYS_MS);
		for (const figure of results.keyIndex) {
			ctx.log(
				`  keyIndexDelayMs ${figure.keyIndexDelayMs}: found after ${figure.foundAfterMs?.toFixed(1) ?? 'never'} ms, ${figure.misses} misses before`,
			);
		}
	});
	return results;
}
