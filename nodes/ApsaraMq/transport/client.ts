import type {
	IAdditionalCredentialOptions,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import type { AlibabaApi } from './apis';
import { backoffDelay, cappedRetryAfter } from './backoff';
import type { Clock } from './clock';
import { CancellableWaits, defaultClock } from './clock';
import type { ApiFailure } from './errors';
import { AMBIGUOUS_DELIVERY, codePrefix, operationError, toNodeApiError } from './errors';
import type { FullResponse, Outcome } from './outcome';
import { classifyException, classifyResponse } from './outcome';
import { RateLimiter } from './rateLimiter';
import { cleanServerText } from './serverText';

export const CREDENTIAL_TYPE = 'alibabaCloudAccessKeyApi';

/** How hard to try one call. */
export interface RetryPolicy {
	maxRetries: number;
	timeoutMs: number;
	/** Retry sends whose outcome is unknown, accepting that a message may arrive twice. */
	retryAmbiguous: boolean;
}

export interface CallResult {
	body: IDataObject;
	attempts: number;
	/** An earlier attempt may have been delivered too (only with `retryAmbiguous`). */
	possibleDuplicate: boolean;
}

export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

function cancelSignal(context: RequestContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

/**
 * The only place that talks to Alibaba Cloud. Every call is paced by the limiter of its API,
 * signed anew on every attempt (by the credential's `authenticate`), and retried only when a
 * retry cannot deliver a message twice, unless the user opted in
 * (docs/quotas-and-retries.md#what-is-retried).
 */
export class AlibabaClient {
	private readonly limiters = new Map<string, RateLimiter>();
	private readonly signal: AbortSignal | undefined;
	private readonly waits: CancellableWaits;
	private credentials?: Promise<IAdditionalCredentialOptions>;

	constructor(
		private readonly context: RequestContext,
		private readonly rateFor: (api: AlibabaApi) => number = (api) => api.automaticRatePerSecond,
		private readonly clock: Clock = defaultClock(),
	) {
		this.signal = cancelSignal(context);
		this.waits = new CancellableWaits(clock, this.signal);
	}

	limiterFor(api: AlibabaApi): RateLimiter {
		let limiter = this.limiters.get(api.action);
		if (!limiter) {
			limiter = new RateLimiter(this.rateFor(api), this.clock);
			this.limiters.set(api.action, limiter);
		}
		return limiter;
	}

	async call(
		api: AlibabaApi,
		params: Record<string, string>,
		policy: RetryPolicy,
		itemIndex?: number,
	): Promise<CallResult> {
		return await this.callWith(
			api,
			async () => await this.attempt(api, params, policy.timeoutMs),
			policy,
			itemIndex,
		);
	}

	/**
	 * The pacing and retry loop around any kind of attempt: an OpenAPI call above, or a RocketMQ
	 * HTTP request (mqHttp/request.ts), which classifies its answer into the same outcomes.
	 */
	async callWith(
		api: AlibabaApi,
		send: () => Promise<Outcome>,
		policy: RetryPolicy,
		itemIndex?: number,
	): Promise<CallResult> {
		const limiter = this.limiterFor(api);
		let mayHaveBeenDelivered = false;

		for (let attempt = 1; ; attempt++) {
			if (!(await this.wait(limiter.reserve()))) throw this.cancelledError(itemIndex);
			const sentAt = this.clock.now();
			const outcome = await send();
			const retryAfterMs =
				outcome.type === 'throttled' && outcome.retryAfterMs !== undefined
					? cappedRetryAfter(outcome.retryAfterMs)
					: undefined;
			if (outcome.type === 'success') {
				return { body: outcome.body, attempts: attempt, possibleDuplicate: mayHaveBeenDelivered };
			}
			if (outcome.type === 'cancelled') throw this.cancelledError(itemIndex);
			if (outcome.type === 'throttled') limiter.onThrottled(sentAt, retryAfterMs);
			if (outcome.type === 'ambiguous' && api.kind === 'send') mayHaveBeenDelivered = true;

			const retryable =
				outcome.type === 'throttled' ||
				outcome.type === 'notSent' ||
				(outcome.type === 'ambiguous' && (api.kind === 'read' || policy.retryAmbiguous));
			if (!retryable || attempt > policy.maxRetries) {
				throw toNodeApiError(
					this.context.getNode(),
					api,
					finalFailure(outcome.failure, mayHaveBeenDelivered, attempt),
					itemIndex,
					await this.secrets(),
				);
			}

			const delay =
				retryAfterMs ??
				backoffDelay(attempt - 1, outcome.type === 'throttled', () => this.clock.random());
			const code = cleanServerText(outcome.failure.code ?? 'no code', await this.secrets());
			this.context.logger.debug(
				`ApsaraMQ: ${api.action} attempt ${attempt} ${outcome.type} (${code}); retrying in ${delay} ms`,
			);
			if (!(await this.wait(delay))) throw this.cancelledError(itemIndex);
		}
	}

	/**
	 * n8n's request helper reads the credential from its database and decrypts it on every call,
	 * which is most of the cost of an item in a large batch. Read it once per execution and hand it
	 * over with each call; `authenticate` still signs every attempt afresh.
	 */
	async credentialOptions(): Promise<IAdditionalCredentialOptions> {
		this.credentials ??= this.context.getCredentials(CREDENTIAL_TYPE).then((data) => ({
			credentialsDecrypted: { id: '', name: CREDENTIAL_TYPE, type: CREDENTIAL_TYPE, data },
		}));
		return await this.credentials;
	}

	/**
	 * The values that must never come back out of the node, whatever a server echoes: the secret
	 * and the STS token, as typed and trimmed (docs/errors.md#redaction).
	 */
	private async secrets(): Promise<string[]> {
		const data = (await this.credentialOptions()).credentialsDecrypted?.data ?? {};
		return [data.accessKeySecret, data.securityToken]
			.filter((value): value is string => typeof value === 'string')
			.flatMap((value) => [value, value.trim()]);
	}

	private async wait(ms: number): Promise<boolean> {
		return await this.waits.wait(ms);
	}

	/** Waits on the client's clock; false when the execution was cancelled meanwhile. */
	async pause(ms: number): Promise<boolean> {
		return await this.wait(ms);
	}

	private async attempt(
		api: AlibabaApi,
		params: Record<string, string>,
		timeoutMs: number,
	): Promise<Outcome> {
		const options: IHttpRequestOptions = {
			method: 'POST',
			url: '/',
			// The credential reads the API from these headers, picks the endpoint and signs.
			headers: { 'x-acs-action': api.action, 'x-acs-version': api.version },
			qs: params,
			timeout: timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// Never follow a redirect: n8n would send the signed request (the AccessKey ID, the STS
			// token, the signature) to whatever origin the endpoint names. A 3xx is an error
			// (outcome.ts, docs/errors.md#redirects).
			disableFollowRedirect: true,
		};
		try {
			const response = (await this.context.helpers.httpRequestWithAuthentication.call(
				this.context,
				CREDENTIAL_TYPE,
				options,
				await this.credentialOptions(),
			)) as FullResponse;
			return classifyResponse(response, api.proofOfSuccess);
		} catch (error) {
			return classifyException(error, this.signal?.aborted === true);
		}
	}

	private cancelledError(itemIndex?: number) {
		return operationError(this.context.getNode(), 'The execution was cancelled', {
			itemIndex,
		});
	}
}

function finalFailure(failure: ApiFailure, mayHaveBeenDelivered: boolean, attempts: number): ApiFailure {
	const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
	if (!mayHaveBeenDelivered) return { ...failure, message: `${failure.message}${tries}` };
	const cause = `${codePrefix(failure.code)}${failure.message}`;
	return {
		...failure,
		code: AMBIGUOUS_DELIVERY,
		message: `The message may or may not have been delivered${tries}. ${cause}`,
	};
}
