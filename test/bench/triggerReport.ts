/** The Markdown section of the trigger scenario (test/bench/trigger.ts) in results.md. */
import type { TriggerResults } from './trigger';

const fixed = (value: number, digits = 1) => value.toFixed(digits);

export function triggerSection(trigger: TriggerResults, section: number): string[] {
	const lines: string[] = [];
	lines.push(
		`## ${section}. ApsaraMQ Trigger against n8n's RabbitMQ Trigger (\`n8n start\`, activated workflows)`,
		'',
		`The queue holds every message before the workflow is activated; trigger → No Op (diagnostics: a Code node in n8n's task runner). Ours: \`executionSucceeds\` on the emulator (0 ms); RabbitMQ ${trigger.rabbitMqVersion ?? '?'}: \`executionFinishesSuccessfully\`, persistent messages in a durable queue. The parallel limit is the same number on both (Max Parallel Executions; Parallel Message Processing Limit = its prefetch). RabbitMQ's trigger has no batches, so its 1-message figure is the one to hold against ours at 16 messages per execution. Messages per second: first execution started → last one stopped, from n8n's execution list. CPUs: CPU time over the run ÷ wall time (1 = one core) of n8n's main process, its task runner, the broker (the emulator runs in the bench's process) and the whole 2-core machine.`,
		'',
		'| run | messages | per execution | parallel | executions (failed) | end to end | messages/s | executions/s | execution median / p95 | CPUs n8n / runner / broker / machine | n8n CPU ms per message |',
		'|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|',
	);
	for (const run of trigger.runs) {
		lines.push(
			`| ${run.label} | ${run.messages} | ${run.messagesPerExecution} | ${run.parallel} | ${run.executions} (${run.failedExecutions}) | ${fixed(run.endToEndMs / 1000)} s | **${fixed(run.messagesPerSecond)}** | ${fixed(run.executionsPerSecond)} | ${run.executionMedianMs} / ${run.executionP95Ms} ms | ${fixed(run.cpus.n8nMain, 2)} / ${fixed(run.cpus.taskRunner, 2)} / ${fixed(run.cpus.broker, 2)} / ${fixed(run.cpus.machine, 2)} | ${fixed(run.n8nCpuMsPerMessage, 2)} |`,
		);
	}
	lines.push('');
	const requests = trigger.runs.filter((run) => run.requests);
	if (requests.length > 0) {
		lines.push('Emulator requests of our runs (accepted):', '');
		for (const run of requests) {
			lines.push(`- ${run.label}: ${JSON.stringify(run.requests)}`);
		}
		lines.push('');
	}
	if (trigger.memory.length > 0) {
		lines.push(
			"Memory with a backlog (a fresh `n8n start` each; RSS of n8n's main process, sampled every 250 ms: idle = activated on an empty topic, busy = while it works through the backlog):",
			'',
			'| run | idle RSS | busy peak RSS | messages processed | in | most in flight |',
			'|---|---:|---:|---:|---:|---:|',
		);
		for (const run of trigger.memory) {
			lines.push(
				`| ${run.label} | ${run.idleRssMiB} MiB | ${run.busyPeakRssMiB} MiB | ${run.processedMessages} | ${run.seconds} s | ${run.maxInFlight} |`,
			);
		}
		lines.push('');
	}
	return lines;
}
