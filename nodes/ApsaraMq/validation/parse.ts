import type { IExecuteFunctions } from 'n8n-workflow';
import type { z } from 'zod';
import { operationError } from '../transport/errors';

/**
 * Checks parameters against a zod schema. A failure becomes a NodeOperationError for the item that
 * names the field as the editor shows it and says what is wrong, before any request is sent.
 */
export function parseOrThrow<Schema extends z.ZodTypeAny>(
	context: IExecuteFunctions,
	schema: Schema,
	raw: unknown,
	labels: Record<string, string>,
	itemIndex: number,
): z.output<Schema> {
	const result = schema.safeParse(raw);
	if (result.success) return result.data;
	const problems = result.error.issues.map((issue) => {
		const field = String(issue.path[0] ?? '');
		return `"${labels[field] ?? field}" ${issue.message}`;
	});
	return fail(context, problems, itemIndex);
}

function fail(context: IExecuteFunctions, problems: string[], itemIndex: number): never {
	throw operationError(context.getNode(), `Invalid parameter: ${problems[0]}`, {
		itemIndex,
		description:
			problems.length > 1
				? `Also: ${problems.slice(1).join('; ')}`
				: 'Fix the field in the node (or the expression that fills it) and run again.',
	});
}
