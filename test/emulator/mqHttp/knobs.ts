/** Knobs of the RocketMQ HTTP protocol, under `knobs.mqHttp` (README.md next to ../emulator.ts). */
import { z } from 'zod';

export const mqHttpKnobsSchema = z
	.object({
		/**
		 * Multiplies the invisibility time of a delivered message (300 s, 60 s for ordered
		 * consumption), so that tests of redelivery need not wait minutes.
		 */
		invisibilityScale: z.number().positive(),
		/** How long after it is stored OnsMessageGetByKey finds a message (the key index lag). */
		keyIndexDelayMs: z.number().min(0),
		/** Deliveries after the first before a message is dead-lettered (Alibaba: 288). */
		maxRetries: z.number().int().min(0),
	})
	.strict();

export type MqHttpKnobs = z.output<typeof mqHttpKnobsSchema>;

export function defaultMqHttpKnobs(): MqHttpKnobs {
	return { invisibilityScale: 1, keyIndexDelayMs: 0, maxRetries: 288 };
}
