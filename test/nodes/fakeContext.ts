import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import { ApsaraMq } from '../../nodes/ApsaraMq/ApsaraMq.node';
import type { Clock } from '../../nodes/ApsaraMq/transport/clock';
import { replaceDefaultClock } from '../../nodes/ApsaraMq/transport/clock';
import { FakeClock } from '../transport/fakeClock';

/** A parameter value, or a function of the item: how the tests stand in for per-item expressions. */
export type ParameterValue = unknown | ((itemIndex: number, item: INodeExecutionData) => unknown);

export type Transport = (
	options: IHttpRequestOptions,
	credentialType: string,
	credentials: ICredentialDataDecryptedObject | undefined,
) => Promise<unknown>;

export interface FakeContextOptions {
	items?: INodeExecutionData[];
	parameters: Record<string, ParameterValue>;
	transport: Transport;
	continueOnFail?: boolean;
	cancelSignal?: AbortSignal;
	/** Node settings such as `onError`. */
	node?: Partial<INode>;
	/** What `getCredentials` returns (the credential data n8n would decrypt). */
	credentials?: ICredentialDataDecryptedObject;
	/**
	 * The clock of the node's pacing and retries: a fresh virtual clock by default, so that no
	 * test waits or depends on the machine's speed; `systemClock` against the emulator, whose quota
	 * windows run on real time.
	 */
	clock?: Clock;
	/** What getExecutionId() and the run index ($runIndex) give; '101' and 0 by default. */
	executionId?: string;
	runIndex?: number;
}

export const NODE: INode = {
	id: 'b6f1d1a0-0000-4000-8000-000000000001',
	name: 'Alibaba Cloud ApsaraMQ',
	type: 'n8n-nodes-apsaramq.apsaraMq',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function isLocator(value: unknown): value is { __rl: true; value: unknown } {
	return typeof value === 'object' && value !== null && (value as IDataObject).__rl === true;
}

/**
 * A hand-made IExecuteFunctions with what the node uses: parameters per item, the input items,
 * binary data, continue-on-fail, the cancel signal, a logger, and the request helper, which hands
 * each request to `transport` (a canned answer, or the real credential plus the emulator).
 */
export function fakeContext(options: FakeContextOptions) {
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const requests: IHttpRequestOptions[] = [];
	let credentialReads = 0;
	const logs: string[] = [];
	const log = (message: string) => logs.push(message);

	const context = {
		getInputData: () => items,
		getNode: () => ({ ...NODE, ...options.node }),
		continueOnFail: () => options.continueOnFail ?? false,
		getExecutionCancelSignal: () => options.cancelSignal,
		getExecutionId: () => options.executionId ?? '101',
		getWorkflowDataProxy: () => ({ $runIndex: options.runIndex ?? 0 }),
		logger: { debug: log, info: log, warn: log, error: log },
		getNodeParameter(
			name: string,
			itemIndex: number,
			fallback?: unknown,
			extra?: { extractValue?: boolean },
		) {
			if (!(name in options.parameters)) {
				if (fallback !== undefined) return fallback;
				throw new Error(`Test forgot parameter "${name}"`);
			}
			const raw = options.parameters[name];
			const value = typeof raw === 'function' ? raw(itemIndex, items[itemIndex]) : raw;
			return extra?.extractValue && isLocator(value) ? value.value : value;
		},
		async getCredentials() {
			credentialReads++;
			return options.credentials ?? {};
		},
		helpers: {
			async httpRequestWithAuthentication(
				credentialType: string,
				request: IHttpRequestOptions,
				additional?: IAdditionalCredentialOptions,
			) {
				requests.push(structuredClone({ ...request, abortSignal: undefined }));
				return await options.transport(
					{ ...request, abortSignal: options.cancelSignal },
					credentialType,
					additional?.credentialsDecrypted?.data,
				);
			},
			async getBinaryDataBuffer(itemIndex: number, property: string) {
				const binary = items[itemIndex].binary?.[property];
				if (!binary) throw new Error(`no binary ${property}`);
				return Buffer.from(binary.data, 'base64');
			},
		},
	};
	return {
		context: context as unknown as IExecuteFunctions,
		requests,
		logs,
		credentialReads: () => credentialReads,
	};
}

/** Runs the node's execute with the fake context on the given clock; returns the first output. */
export async function run(options: FakeContextOptions) {
	const fake = fakeContext(options);
	const clock = options.clock ?? new FakeClock();
	const previous = replaceDefaultClock(clock);
	try {
		const [output] = await new ApsaraMq().execute.call(fake.context);
		return { ...fake, output };
	} finally {
		replaceDefaultClock(previous);
	}
}

/** A canned HTTP answer as n8n's helper returns it with returnFullResponse. */
export function answer(statusCode: number, body: unknown, headers: Record<string, string> = {}) {
	return { statusCode, body, headers, statusMessage: '' };
}

/** A locator value as saved in a workflow. */
export const id = (value: string) => ({ __rl: true, mode: 'id', value });
