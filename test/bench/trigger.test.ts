/** The trigger scenario's knobs and its section of results.md (no benchmark figure is asserted). */
import { readConfig } from './config';
import type { TriggerResults, TriggerRun } from './trigger';
import { triggerSection } from './triggerReport';

const KNOBS = [
	'BENCH_SCENARIOS',
	'BENCH_TRIGGER_MESSAGES',
	'BENCH_TRIGGER_MEMORY_MESSAGES',
	'BENCH_TRIGGER_MEMORY_PARALLEL',
];

function run(label: string, messagesPerExecution: number): TriggerRun {
	return {
		label,
		trigger: 'apsaraMq',
		after: 'noOp',
		messages: 32,
		messagesPerExecution,
		parallel: 10,
		executions: 32 / messagesPerExecution,
		failedExecutions: 0,
		endToEndMs: 4000,
		firstStartedAt: 1,
		lastStoppedAt: 4001,
		messagesPerSecond: 8,
		executionsPerSecond: 8 / messagesPerExecution,
		executionMedianMs: 120,
		executionP95Ms: 300,
		activationToLastMs: 4500,
		cpus: { n8nMain: 0.9, taskRunner: 0, broker: 0.05, machine: 1.9 },
		n8nCpuMsPerMessage: 110,
		requests: { ConsumeMessage: 30, AckMessage: 32 },
	};
}

describe('trigger scenario', () => {
	const saved = KNOBS.map((name) => process.env[name]);
	afterEach(() => {
		KNOBS.forEach((name, i) => {
			if (saved[i] === undefined) delete process.env[name];
			else process.env[name] = saved[i];
		});
	});

	it('runs by default, with 2,000 messages and a 100,000-message backlog', () => {
		for (const name of KNOBS) delete process.env[name];
		const config = readConfig();
		expect(config.scenarios).toContain('trigger');
		expect(config.triggerMessages).toBe(2000);
		expect(config.triggerMemoryMessages).toBe(100_000);
		expect(config.triggerMemoryParallel).toEqual([10, 100]);
	});

	it('takes its knobs from the environment, 0 skipping the memory runs, and refuses a bad one', () => {
		process.env.BENCH_SCENARIOS = 'trigger';
		process.env.BENCH_TRIGGER_MESSAGES = '300';
		process.env.BENCH_TRIGGER_MEMORY_MESSAGES = '0';
		const config = readConfig();
		expect(config).toMatchObject({
			scenarios: ['trigger'],
			triggerMessages: 300,
			triggerMemoryMessages: 0,
		});
		process.env.BENCH_TRIGGER_MESSAGES = '0';
		expect(() => readConfig()).toThrow('BENCH_TRIGGER_MESSAGES');
	});

	it('writes one table row per run and the memory table', () => {
		const results: TriggerResults = {
			rabbitMqVersion: '3.10.8',
			runs: [run('ours, 1 per execution', 1), run('ours, 16 per execution', 16)],
			memory: [
				{
					label: 'memory run',
					backlog: 100_000,
					parallel: 10,
					idleRssMiB: 300,
					busyPeakRssMiB: 320.5,
					processedMessages: 400,
					seconds: 60,
					maxInFlight: 10,
				},
			],
		};
		const text = triggerSection(results, 6).join('\n');
		expect(text).toContain('## 6. ApsaraMQ Trigger');
		expect(text).toContain('RabbitMQ 3.10.8');
		expect(text).toContain('| ours, 16 per execution | 32 | 16 | 10 | 2 (0) | 4.0 s | **8.0** |');
		expect(text).toContain('| memory run | 300 MiB | 320.5 MiB | 400 | 60 s | 10 |');
	});
});
