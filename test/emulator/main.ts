/**
 * CLI: `node .tooling/test/emulator/main.js --port 18080 --mqtt-port 18830 --seed file.json
 * --latency 30 --jitter 10 …` (`--help` lists every flag). Prints the URLs and stops cleanly on
 * SIGINT / SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { createEmulator, type Emulator, type EmulatorOptions } from './emulator';
import { FAULT_KINDS, mergeKnobs, defaultKnobs, type KnobsPatch } from './knobs';

export const USAGE = `ApsaraMQ OpenAPI emulator

  --host <ip>                 bind address (default 127.0.0.1)
  --port <n>                  HTTP port (default 0 = random)
  --mqtt-port <n>             MQTT port (default 0 = random)
  --no-mqtt                   do not start the MQTT broker
  --seed <file.json>          seed file (default: test/emulator/seed.json)
  --knobs <file.json>         initial knobs (JSON, merged before the flags below)
  --latency <ms>              added latency per API response
  --jitter <ms>               uniform jitter (+/-) around the latency
  --fault <kind>=<rate>       repeatable; kinds: ${FAULT_KINDS.join(', ')}
  --fault-actions <a,b>       restrict random faults to these actions
  --stall-ms <ms>             how long a stalled request is held (default 60000)
  --no-quotas                 disable every quota
  --quota-scale <x>           multiply every quota
  --mqtt-throttle-code <c>    Throttling.User (default) or SystemOverFlow
  --retry-after <ms>          send x-acs-retry-after on throttling
  --max-payload <bytes>       MQTT payload limit (default 65536, 0 = none)
  --random-seed <n>           PRNG seed for faults and jitter
  --invisibility-scale <x>    RocketMQ HTTP: multiply the invisibility time (300 s / 60 s)
  --key-index-delay <ms>      RocketMQ HTTP: delay before OnsMessageGetByKey finds a message
  --no-record-params          do not keep parameter copies in the call log
  --record-raw                keep method, URL, headers and body of every call
  --trust-forwarded-for       take the source IP from X-Forwarded-For
  --region <id>               region used in HostId (default cn-hangzhou)
  --help                      this text
`;

function num(name: string, value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!Number.isFinite(n)) throw new Error(`--${name} expects a number, got ${value}`);
	return n;
}

/** Parses CLI arguments into emulator options; throws on a bad flag. */
export function parseCliArgs(argv: string[]): EmulatorOptions | 'help' {
	const { values } = parseArgs({
		args: argv,
		strict: true,
		options: {
			host: { type: 'string' },
			port: { type: 'string' },
			'mqtt-port': { type: 'string' },
			'no-mqtt': { type: 'boolean' },
			seed: { type: 'string' },
			knobs: { type: 'string' },
			latency: { type: 'string' },
			jitter: { type: 'string' },
			fault: { type: 'string', multiple: true },
			'fault-actions': { type: 'string' },
			'stall-ms': { type: 'string' },
			'no-quotas': { type: 'boolean' },
			'quota-scale': { type: 'string' },
			'mqtt-throttle-code': { type: 'string' },
			'retry-after': { type: 'string' },
			'max-payload': { type: 'string' },
			'random-seed': { type: 'string' },
			'invisibility-scale': { type: 'string' },
			'key-index-delay': { type: 'string' },
			'no-record-params': { type: 'boolean' },
			'record-raw': { type: 'boolean' },
			'trust-forwarded-for': { type: 'boolean' },
			region: { type: 'string' },
			help: { type: 'boolean' },
		},
	});
	if (values.help) return 'help';

	let knobs: KnobsPatch = values.knobs
		? (JSON.parse(readFileSync(values.knobs, 'utf8')) as KnobsPatch)
		: {};
	const faults: Record<string, number> = {};
	for (const spec of values.fault ?? []) {
		const [kind, rate] = spec.split('=');
		if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
			throw new Error(`--fault: unknown kind ${kind}`);
		}
		faults[kind] = num('fault', rate) ?? 0;
	}
	const patch: KnobsPatch = {
		latencyMs: num('latency', values.latency),
		jitterMs: num('jitter', values.jitter),
		stallMs: num('stall-ms', values['stall-ms']),
		retryAfterMs: num('retry-after', values['retry-after']),
		maxPayloadBytes: num('max-payload', values['max-payload']),
		randomSeed: num('random-seed', values['random-seed']),
		faults: Object.keys(faults).length ? faults : undefined,
		faultActions: values['fault-actions']?.split(',').filter(Boolean),
		mqttThrottleCode: values['mqtt-throttle-code'] as KnobsPatch['mqttThrottleCode'],
		recordParams: values['no-record-params'] ? false : undefined,
		recordRaw: values['record-raw'] ? true : undefined,
	};
	if (values['no-quotas'] || values['quota-scale']) {
		patch.quotas = {
			...(values['no-quotas'] ? { enabled: false } : {}),
			...(values['quota-scale'] ? { scale: num('quota-scale', values['quota-scale']) } : {}),
		};
	}
	const invisibilityScale = num('invisibility-scale', values['invisibility-scale']);
	const keyIndexDelayMs = num('key-index-delay', values['key-index-delay']);
	if (invisibilityScale !== undefined || keyIndexDelayMs !== undefined) {
		patch.mqHttp = {
			...(invisibilityScale !== undefined ? { invisibilityScale } : {}),
			...(keyIndexDelayMs !== undefined ? { keyIndexDelayMs } : {}),
		};
	}
	const defined = Object.fromEntries(
		Object.entries(patch).filter(([, v]) => v !== undefined),
	) as KnobsPatch;
	// Validate the combination now, so a bad flag fails before anything listens.
	knobs = { ...knobs, ...defined };
	mergeKnobs(defaultKnobs(), knobs);

	return {
		host: values.host,
		port: num('port', values.port),
		mqttPort: num('mqtt-port', values['mqtt-port']),
		mqtt: values['no-mqtt'] ? false : true,
		seed: values.seed,
		knobs,
		regionId: values.region,
		trustForwardedFor: values['trust-forwarded-for'] ?? false,
	};
}

/** Starts the emulator from CLI arguments and prints its URLs. */
export async function runCli(
	argv: string[],
	out: (line: string) => void = (line) => console.log(line),
): Promise<Emulator | null> {
	const options = parseCliArgs(argv);
	if (options === 'help') {
		out(USAGE);
		return null;
	}
	const emulator = await createEmulator(options);
	out(`APSARAMQ_EMULATOR_URL=${emulator.url}`);
	out(`APSARAMQ_EMULATOR_MQTT_URL=${emulator.mqttUrl}`);
	out(`inspection: ${emulator.url}/__emulator/calls | /mqtt | /ons | /counters | /knobs | /state`);
	return emulator;
}

if (require.main === module) {
	runCli(process.argv.slice(2))
		.then((emulator) => {
			if (!emulator) return;
			let stopping = false;
			const stop = (signal: string) => {
				if (stopping) return;
				stopping = true;
				console.log(`received ${signal}, stopping`);
				emulator.close().then(
					() => process.exit(0),
					(e: unknown) => {
						console.error(e);
						process.exit(1);
					},
				);
			};
			process.on('SIGINT', () => stop('SIGINT'));
			process.on('SIGTERM', () => stop('SIGTERM'));
		})
		.catch((e: unknown) => {
			console.error(e instanceof Error ? e.message : e);
			console.error(USAGE);
			process.exit(2);
		});
}
