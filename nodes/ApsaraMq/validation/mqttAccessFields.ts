import { z } from 'zod';

import { textProblem } from './text';

/**
 * The inputs of the MQTT token and device operations, checked before any request
 * (docs/mqtt-access.md#applytoken and docs/mqtt-access.md#client-ids).
 */

export const MAX_TOKEN_RESOURCES = 100;
export const MIN_TOKEN_VALIDITY_MS = 60_000;
export const MAX_TOKEN_VALIDITY_MS = 30 * 86_400_000;

const text = z.preprocess(
	(value) => (typeof value === 'number' ? String(value) : value),
	z.string({
		required_error: 'is required',
		invalid_type_error: 'must be text (the expression returned something else)',
	}),
);

/** `GID_xxx@@@device`: what ApsaraMQ for MQTT accepts as a client ID. */
export const mqttClientId = text
	.transform((value) => value.trim())
	.pipe(
		z
			.string()
			.min(1, 'is empty')
			.refine((id) => id.includes('@@@'), {
				message: 'must be GroupId@@@DeviceId, e.g. GID_devices@@@sensor-42',
			})
			.refine((id) => /^GID[_-][A-Za-z0-9_-]{3,60}@@@/.test(id), {
				message:
					'must start with a group ID of 7 to 64 letters, digits, _ or -, beginning with GID_ or GID- (e.g. GID_devices@@@sensor-42)',
			})
			.refine((id) => /@@@[A-Za-z0-9_.:-]{1,64}$/.test(id), {
				message:
					'must end with a device ID of 1 to 64 letters, digits, _ . : or - after @@@ (e.g. GID_devices@@@sensor-42)',
			}),
	);

/** One topic filter of a token: a parent topic, optional subtopics, wildcards + and # allowed. */
function topicFilterProblem(filter: string): string | undefined {
	// The checks every text field gets (validation/text.ts): no cut emoji, control or invisible characters.
	const textual = textProblem(filter, { noControlCharacters: true, noInvisibleCharacters: true });
	if (textual) return `"${filter}" ${textual}`;
	const levels = filter.split('/');
	const parent = levels[0];
	if (parent === '') return `"${filter}" must start with a parent topic, e.g. TopicA/devices/+`;
	if (/[+#]/.test(parent)) return `"${filter}": the parent topic cannot be a wildcard`;
	if (parent.length > 64 || /[:,%\s]/.test(parent)) {
		return `"${filter}": the parent topic has at most 64 characters and no spaces, : , or %`;
	}
	const hashAt = levels.indexOf('#');
	if (hashAt !== -1 && hashAt !== levels.length - 1)
		return `"${filter}": # can only be the last level`;
	if (levels.some((level) => level !== '+' && level !== '#' && /[+#]/.test(level))) {
		return `"${filter}": a wildcard + or # must be a whole level, e.g. TopicA/+/status`;
	}
	return undefined;
}

/**
 * The topics of a token: a list, or text with one topic per line or comma-separated. Sorted and
 * without repeats, as ApplyToken asks (docs/mqtt-access.md#applytoken).
 */
export const tokenResources = z
	.preprocess(
		(value) =>
			typeof value === 'string'
				? value.split(/[\n,]/)
				: Array.isArray(value)
					? value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))
					: value,
		z.array(z.string(), { invalid_type_error: 'must be a list of topics or text' }),
	)
	.transform((list) => [...new Set(list.map((topic) => topic.trim()).filter(Boolean))].sort())
	.superRefine((list, context) => {
		const add = (message: string) => context.addIssue({ code: z.ZodIssueCode.custom, message });
		if (list.length === 0) return add('is empty; give at least one topic, e.g. TopicA/devices/+');
		if (list.length > MAX_TOKEN_RESOURCES) {
			return add(`has ${list.length} topics; a token covers at most ${MAX_TOKEN_RESOURCES}`);
		}
		const problem = list.map(topicFilterProblem).find(Boolean);
		if (problem) add(problem);
	});

export const tokenActions = z.enum(['R', 'W', 'R,W'], {
	errorMap: () => ({ message: 'must be R (subscribe), W (publish) or R,W (both)' }),
});

/** What a client puts before the token in its password: R, W or RW. */
export function tokenType(actions: z.output<typeof tokenActions>): 'R' | 'W' | 'RW' {
	return actions === 'R,W' ? 'RW' : actions;
}

/** A duration (`1h`, `30m`, `7d`, `3600` seconds, ISO `PT1H`) in ms, or undefined. */
function durationMs(value: string): number | undefined {
	const short = /^(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?$/i.exec(value);
	if (short) {
		const unit = { s: 1, sec: 1, m: 60, min: 60, h: 3600, d: 86_400 }[
			(short[2] ?? 's').toLowerCase() as 's'
		];
		return Number(short[1]) * unit * 1000;
	}
	// ISO 8601 durations of days and time: P7D, PT1H, P1DT12H, PT90M.
	const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(value);
	if (iso && value.length > 1 && !/T$/i.test(value)) {
		const [days, hours, minutes, seconds] = iso.slice(1).map((part) => Number(part ?? 0));
		return (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
	}
	return undefined;
}

/**
 * When a token expires, from a duration or a date-time, as ms since the epoch; between 60 s and
 * 30 days after `now` (ApplyToken's range; longer would be cut silently by Alibaba Cloud).
 */
export function tokenExpiry(now: number) {
	return z
		.preprocess(
			(value) => {
				if (typeof value === 'number') return value * 1000 + now;
				if (value instanceof Date) return value.getTime();
				// A luxon DateTime from an expression such as {{ $now.plus(1, 'hour') }}.
				if (typeof (value as { toMillis?: unknown })?.toMillis === 'function') {
					return (value as { toMillis(): number }).toMillis();
				}
				if (typeof value !== 'string') return value;
				const trimmed = value.trim();
				const duration = durationMs(trimmed);
				if (duration !== undefined) return now + duration;
				// A date-time with a date part (2026-12-31T23:00:00Z); without a zone it is read as UTC.
				if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return trimmed;
				const zoned =
					/(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) || !trimmed.includes('T')
						? trimmed
						: `${trimmed}Z`;
				const at = Date.parse(zoned);
				return Number.isNaN(at) ? trimmed : at;
			},
			z.number({
				invalid_type_error:
					'must be a duration (e.g. 1h, 30m, 7d, 3600 for seconds, PT1H) or a date-time (e.g. 2026-12-31T23:00:00Z)',
				required_error: 'is required',
			}),
		)
		.superRefine((at, context) => {
			const validity = at - now;
			if (validity < MIN_TOKEN_VALIDITY_MS || validity > MAX_TOKEN_VALIDITY_MS) {
				context.addIssue({
					code: z.ZodIssueCode.custom,
					message: `must be between 60 seconds and 30 days from now (it is ${describeValidity(validity)})`,
				});
			}
		});
}

function describeValidity(ms: number): string {
	if (ms <= 0) return 'in the past';
	if (ms < 60_000) return `${Math.round(ms / 1000)} seconds from now`;
	return `${Math.round(ms / 3_600_000)} hours from now`;
}
