import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { z } from 'zod';

import { operationError } from '../transport/errors';

/** Field name → the label the editor shows, so that errors name fields as the user sees them. */
export function fieldLabels(fields: ReadonlyArray<Pick<INodeProperties, 'name' | 'displayName'>>) {
	return Object.fromEntries(fields.map((field) => [field.name, field.displayName]));
}

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
	return invalidParameter(
		context,
		itemIndex,
		problems[0],
		problems.length > 1 ? `Also: ${problems.slice(1).join('; ')}` : undefined,
	);
}

/**
 * Reads the item's value of every field the schema names (a resource locator gives its ID,
 * whichever mode was chosen) and checks them with parseOrThrow. `computed` gives the values of
 * fields that are not read as they are, such as a payload built from a file.
 */
export function parseFields<Shape extends z.ZodRawShape>(
	context: IExecuteFunctions,
	itemIndex: number,
	schema: z.ZodObject<Shape>,
	labels: Record<string, string>,
	computed: Partial<Record<keyof Shape, unknown>> = {},
): z.output<z.ZodObject<Shape>> {
	const raw = Object.fromEntries(
		Object.keys(schema.shape).map((name) => [
			name,
			name in computed
				? computed[name]
				: context.getNodeParameter(name, itemIndex, undefined, { extractValue: true }),
		]),
	);
	return parseOrThrow(context, schema, raw, labels, itemIndex);
}

/** Refuses an item's input: `problem` starts with the field's label, e.g. `"Payload" is empty`. */
export function invalidParameter(
	context: IExecuteFunctions,
	itemIndex: number,
	problem: string,
	description = 'Fix the field in the node (or the expression that fills it) and run again.',
): never {
	throw operationError(context.getNode(), `Invalid parameter: ${problem}`, { itemIndex, description });
}
