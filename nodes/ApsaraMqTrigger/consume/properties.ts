/**
 * Reads RocketMQ's `k:v|k:v` property string (docs/trigger.md#output-items). The key is the text
 * before the first `:`, the value the rest verbatim, because values added by the service may hold
 * `:`; segments without a key are dropped, as Alibaba's SDKs do.
 */
export function parseProperties(text: string): Record<string, string> {
	const properties: Record<string, string> = {};
	for (const segment of text.split('|')) {
		const colon = segment.indexOf(':');
		if (colon <= 0) continue;
		properties[segment.slice(0, colon)] = segment.slice(colon + 1);
	}
	return properties;
}
