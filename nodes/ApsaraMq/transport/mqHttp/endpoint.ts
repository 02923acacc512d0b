import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { answerText } from '../answer';
import { ONS_INSTANCE_BASE_INFO } from '../apis';
import type { AlibabaClient, RetryPolicy } from '../client';
import { operationError } from '../errors';
import { normalizeCustomEndpoint } from '../signing/endpoint';
import { SigningError } from '../signing/errors';

/**
 * Where the RocketMQ HTTP protocol of an instance is served (docs/mq-http-protocol.md#endpoint-lookup):
 * the override when given; else the credential's custom endpoint when it is custom (a gateway, the
 * emulator); else the instance's `HttpInternetSecureEndpoint` (endpoint type Public) or
 * `HttpInternalEndpoint` (VPC) from `OnsInstanceBaseInfo`. That call is made once per execution
 * per instance, whatever the endpoint, because it also says whether the instance has its own
 * namespace, which every request must then name in `ns`.
 */

export interface HttpEndpoint {
	/** Absolute, ending in `/`. */
	baseUrl: string;
	/** The value of `ns`, only when the instance has its own namespace. */
	namespace?: string;
}

const LOOKUP_POLICY: RetryPolicy = { maxRetries: 3, timeoutMs: 10_000, retryAmbiguous: false };

/** One look-up per client (one execution) and instance; concurrent items share the promise. */
const lookups = new WeakMap<AlibabaClient, Map<string, Promise<IDataObject>>>();

function baseInfo(
	client: AlibabaClient,
	instanceId: string,
	itemIndex: number,
): Promise<IDataObject> {
	let perInstance = lookups.get(client);
	if (!perInstance) {
		perInstance = new Map();
		lookups.set(client, perInstance);
	}
	let pending = perInstance.get(instanceId);
	if (!pending) {
		pending = client
			.call(ONS_INSTANCE_BASE_INFO, { InstanceId: instanceId }, LOOKUP_POLICY, itemIndex)
			.then((result) => (result.body.InstanceBaseInfo ?? {}) as IDataObject);
		// A failed look-up is not kept: the next item tries again.
		pending.catch(() => perInstance.delete(instanceId));
		perInstance.set(instanceId, pending);
	}
	return pending;
}

function asBaseUrl(
	raw: string,
	label: string,
	context: IExecuteFunctions,
	itemIndex: number,
): string {
	try {
		// The same shape rules as the credential's custom endpoint; the scheme rule for http:// is
		// the credential's to apply when it signs (signing/signMq.ts).
		const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
		const url = new URL(withScheme);
		if (url.protocol === 'http:') {
			return `http://${url.host}${url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`}`;
		}
		return normalizeCustomEndpoint(withScheme);
	} catch (error) {
		const reason = error instanceof SigningError ? error.message : 'it is not a valid URL';
		throw operationError(
			context.getNode(),
			`Invalid parameter: "${label}" cannot be used: ${reason}`,
			{
				itemIndex,
			},
		);
	}
}

function isTrue(value: unknown): boolean {
	return value === true || value === 'true';
}

export async function findHttpEndpoint(
	context: IExecuteFunctions,
	client: AlibabaClient,
	instanceId: string,
	override: string | undefined,
	itemIndex: number,
): Promise<HttpEndpoint> {
	const info = await baseInfo(client, instanceId, itemIndex);
	const namespace = isTrue(info.IndependentNaming) ? instanceId : undefined;
	if (override)
		return { baseUrl: asBaseUrl(override, 'HTTP Endpoint', context, itemIndex), namespace };

	// The client's copy, read once per execution: n8n's getCredentials queries its database and
	// decrypts on every call, which cost about a fifth of n8n's time per published item
	// (test/bench/README.md#publish).
	const credentials = (await client.credentialOptions()).credentialsDecrypted?.data ?? {};
	if (credentials.endpointType === 'custom') {
		return {
			baseUrl: asBaseUrl(
				String(credentials.customEndpoint ?? ''),
				'Custom Endpoint',
				context,
				itemIndex,
			),
			namespace,
		};
	}
	const endpoints = (info.Endpoints ?? {}) as IDataObject;
	const field =
		credentials.endpointType === 'vpc' ? 'HttpInternalEndpoint' : 'HttpInternetSecureEndpoint';
	const found = answerText(endpoints[field]);
	if (!found) {
		throw operationError(
			context.getNode(),
			`The instance ${instanceId} has no ${field} in its OnsInstanceBaseInfo answer`,
			{
				itemIndex,
				description:
					'Only ApsaraMQ for RocketMQ 4.x instances serve the HTTP protocol. Check the instance, or set the HTTP Endpoint option to the endpoint shown in the console (Instance Details → HTTP endpoint).',
			},
		);
	}
	return { baseUrl: asBaseUrl(found, field, context, itemIndex), namespace };
}
