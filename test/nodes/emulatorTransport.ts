import type { ICredentialDataDecryptedObject, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { Agent, request } from 'undici';

import { AlibabaCloudAccessKeyApi } from '../../credentials/AlibabaCloudAccessKeyApi.credentials';
import type { Transport } from './fakeContext';
import { NODE } from './fakeContext';

/** n8n marks every error raised while a request is on the wire (@n8n/backend-network). */
const HTTP_REQUEST_ERROR = Symbol.for('n8n.backend-network.http-request-error');

export function emulatorCredentials(
	url: string,
	overrides: Partial<ICredentialDataDecryptedObject> = {},
): ICredentialDataDecryptedObject {
	return {
		accessKeyId: 'testid',
		accessKeySecret: 'testsecret',
		temporaryCredentials: false,
		securityToken: '',
		regionId: 'cn-hangzhou',
		endpointType: 'custom',
		customEndpoint: url,
		signatureVersion: 'v3',
		...overrides,
	};
}

/**
 * What `httpRequestWithAuthentication` does in n8n 2.41, for unit tests against the emulator:
 * the real credential signs every attempt with the credential data the node hands over, the
 * request goes over loopback (undici, keep-alive), and failures come back wrapped in a
 * NodeApiError the way n8n-core wraps them (the real n8n is exercised by the end-to-end suite).
 */
export function n8nLikeTransport(): { transport: Transport; close: () => Promise<void> } {
	const credential = new AlibabaCloudAccessKeyApi();
	const agent = new Agent({ connections: 128, keepAliveTimeout: 10_000 });
	const transport: Transport = async (options: IHttpRequestOptions, _type, credentials) => {
		let signed: IHttpRequestOptions;
		try {
			if (!credentials) throw new Error('the node did not hand over the decrypted credential');
			signed = await credential.authenticate(credentials, { ...options });
		} catch (error) {
			throw new NodeApiError(NODE, error as JsonObject);
		}
		try {
			const response = await request(signed.url, {
				method: signed.method ?? 'POST',
				headers: signed.headers as Record<string, string>,
				body: signed.body as string,
				signal: options.abortSignal,
				headersTimeout: options.timeout,
				bodyTimeout: options.timeout,
				dispatcher: agent,
			});
			const text = await response.body.text();
			let body: unknown = text;
			try {
				body = JSON.parse(text);
			} catch {
				// not JSON: keep the text, as axios does
			}
			return { body, headers: response.headers, statusCode: response.statusCode, statusMessage: '' };
		} catch (error) {
			// n8n gets an AxiosError carrying the system code (ECONNRESET, ECONNABORTED, …), marks
			// it, and wraps it in a NodeApiError whose cause it is. undici's errors come from
			// another realm under jest, so rebuild one here that NodeApiError keeps as its cause.
			const { message, code } = error as { message: string; code?: string };
			const onTheWire = Object.assign(new Error(message), { code, isAxiosError: true });
			Object.defineProperty(onTheWire, HTTP_REQUEST_ERROR, { value: true });
			throw new NodeApiError(NODE, onTheWire as unknown as JsonObject);
		}
	};
	return { transport, close: async () => await agent.close() };
}
