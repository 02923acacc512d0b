/**
 * How soon the emulator finds a published message by key: publish one message with Alibaba's
 * `@aliyunmq/mq-http-sdk`, then ask `OnsMessageGetByKey` every POLL_MS until its ID comes back, for
 * each `mqHttp.keyIndexDelayMs` given (docs/mq-http-protocol.md#duplicate-rules). In the runner's
 * process, against the emulator with its latency and quotas off (the look-up's 10/s quota would
 * otherwise space the polls).
 */
import type { Emulator } from '../emulator';
import { sdkClient, sdkProperties } from '../emulator/mqHttp/sdk-client';
import { signedCall, VERSIONS } from '../emulator/test-helpers';
import { PUBLISH_TOPIC } from './publishWorkflows';
import { ONS_INSTANCE } from './workflows';

const POLL_MS = 25;
/** Polls end here even when nothing is found, so the step always stops by itself. */
const MAX_WAIT_MS = 20_000;

export interface KeyIndexFigure {
	keyIndexDelayMs: number;
	/** From the publish's answer to the first look-up that named the message; undefined: never. */
	foundAfterMs?: number;
	/** Look-ups that came back without it before. */
	misses: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function lookUp(url: string, key: string): Promise<string[]> {
	const answer = await signedCall(url, {
		version: VERSIONS.ons,
		action: 'OnsMessageGetByKey',
		params: { InstanceId: ONS_INSTANCE, Topic: PUBLISH_TOPIC, Key: key },
	});
	const data = answer.json?.Data as { OnsRestMessageDo?: Array<{ MsgId: string }> } | undefined;
	return (data?.OnsRestMessageDo ?? []).map((message) => message.MsgId);
}

export async function measureKeyIndex(
	emulator: Emulator,
	delays: number[],
): Promise<KeyIndexFigure[]> {
	const figures: KeyIndexFigure[] = [];
	const producer = sdkClient(emulator.url).getProducer(ONS_INSTANCE, PUBLISH_TOPIC);
	for (const [n, keyIndexDelayMs] of delays.entries()) {
		emulator.setKnobs({
			latencyMs: 0,
			jitterMs: 0,
			quotas: { enabled: false },
			mqHttp: { keyIndexDelayMs },
		});
		const key = `key-index-${n}-${keyIndexDelayMs}`;
		const { body } = await producer.publishMessage('key index probe', '', sdkProperties({ key }));
		const answered = performance.now();
		let misses = 0;
		let foundAfterMs: number | undefined;
		while (performance.now() - answered < MAX_WAIT_MS) {
			if ((await lookUp(emulator.url, key)).includes(body.MessageId)) {
				foundAfterMs = performance.now() - answered;
				break;
			}
			misses++;
			await sleep(POLL_MS);
		}
		figures.push({ keyIndexDelayMs, foundAfterMs, misses });
	}
	emulator.setKnobs({ mqHttp: { keyIndexDelayMs: 0 } });
	return figures;
}
