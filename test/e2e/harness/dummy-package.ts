import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway community package, `n8n-nodes-e2edummy`, written as plain JavaScript into a temp
 * folder, for proving the harness and for experiments on how n8n treats a community node. It holds:
 *
 * - credential `e2eDummyApi` (`token`, `extraHeaders` as a JSON object string) whose `authenticate`
 *   function adds `x-dummy-token: <token>` and every entry of `extraHeaders` (e.g. a `host`);
 * - node `e2eDummy` (type `n8n-nodes-e2edummy.e2eDummy`) with `operation`:
 *   - `request`: per item, `this.helpers.httpRequestWithAuthentication('e2eDummyApi', options)` with
 *     `options` = the `requestOptions` JSON parameter (url, method, body, headers, timeout,
 *     returnFullResponse, ignoreHttpStatusErrors, json, ...). With `captureError` the error is
 *     described as an output item instead of thrown: class, message, httpCode, description and the
 *     `code`s along its `.cause` chain. Otherwise: with `continueOnFail()` an error item shaped by
 *     `errorItemShape`, else the error is thrown;
 *   - `probe`: facts about the runtime (cancel signal, `sleep`, how `p-limit` and `zod` resolve);
 *   - `sleep`: `await sleep(sleepMs, this.getExecutionCancelSignal())` and reports what happened;
 *   errors are also appended to the file `$E2E_DUMMY_LOG` names, if set (n8n passes its env on);
 * - `methods.listSearch.searchThings(filter)` for the resource-locator REST endpoint.
 */
export const DUMMY_PACKAGE_NAME = 'n8n-nodes-e2edummy';
export const DUMMY_NODE_TYPE = 'n8n-nodes-e2edummy.e2eDummy';
export const DUMMY_CREDENTIAL_TYPE = 'e2eDummyApi';

const CREDENTIAL_JS = `'use strict';
Object.defineProperty(exports, '__esModule', { value: true });
exports.E2eDummyApi = void 0;
class E2eDummyApi {
	constructor() {
		this.name = 'e2eDummyApi';
		this.displayName = 'E2E Dummy API';
		this.documentationUrl = 'https://example.invalid/docs';
		this.properties = [
			{ displayName: 'Token', name: 'token', type: 'string', typeOptions: { password: true }, default: '' },
			{ displayName: 'Extra Headers (JSON)', name: 'extraHeaders', type: 'string', default: '{}' },
		];
	}
	async authenticate(credentials, requestOptions) {
		const extra = JSON.parse(credentials.extraHeaders || '{}');
		requestOptions.headers = { ...(requestOptions.headers || {}), 'x-dummy-token': credentials.token, ...extra };
		return requestOptions;
	}
}
exports.E2eDummyApi = E2eDummyApi;
`;

const NODE_JS = `'use strict';
Object.defineProperty(exports, '__esModule', { value: true });
exports.E2eDummy = void 0;
const path = require('path');
const fs = require('fs');
const { NodeOperationError, sleep } = require('n8n-workflow');

function describeError(err, depth) {
	depth = depth || 0;
	if (err === null || typeof err !== 'object' || depth > 8) return err === undefined ? null : String(err);
	const out = {
		class: err.constructor ? err.constructor.name : typeof err,
		name: err.name,
		message: err.message,
		code: err.code,
		errno: err.errno,
		syscall: err.syscall,
		httpCode: err.httpCode,
		status: err.status,
		description: err.description,
		ownKeys: Object.keys(err),
	};
	if (err.context !== undefined) out.context = err.context;
	if (err.messages !== undefined) out.messages = err.messages;
	if (err.level !== undefined) out.level = err.level;
	if (err.response && typeof err.response === 'object') {
		out.response = { status: err.response.status, statusCode: err.response.statusCode, data: err.response.data };
	}
	if (Array.isArray(err.errors)) out.errors = err.errors.map((e) => describeError(e, depth + 1));
	if (err.cause !== undefined) out.cause = describeError(err.cause, depth + 1);
	return JSON.parse(JSON.stringify(out));
}

function findPackageJson(file) {
	let dir = path.dirname(file);
	for (;;) {
		const candidate = path.join(dir, 'package.json');
		if (fs.existsSync(candidate)) {
			const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8'));
			if (pkg.name) return { path: candidate, name: pkg.name, version: pkg.version, type: pkg.type };
		}
		const parent = path.dirname(dir);
		if (parent === dir) return null;
		dir = parent;
	}
}

function resolveInfo(name) {
	const info = { name };
	try {
		info.resolved = require.resolve(name);
		info.package = findPackageJson(info.resolved);
	} catch (e) {
		info.resolveError = e.code + ': ' + e.message.split('\\n')[0];
	}
	try {
		const mod = require(name);
		info.requireType = typeof mod;
		info.requireKeys = Object.keys(mod).slice(0, 8);
		info.defaultType = mod && typeof mod.default;
	} catch (e) {
		info.requireError = e.code + ': ' + e.message.split('\\n')[0];
	}
	return info;
}

class E2eDummy {
	constructor() {
		this.description = {
			displayName: 'E2E Dummy',
			name: 'e2eDummy',
			icon: 'fa:vial',
			group: ['transform'],
			version: 1,
			description: 'Throwaway node for harness tests',
			defaults: { name: 'E2E Dummy' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'e2eDummyApi', required: false }],
			properties: [
				{ displayName: 'Operation', name: 'operation', type: 'options', default: 'request',
					options: [
						{ name: 'Request', value: 'request' },
						{ name: 'Probe', value: 'probe' },
						{ name: 'Sleep', value: 'sleep' },
					] },
				{ displayName: 'Request Options (JSON)', name: 'requestOptions', type: 'string', default: '{}' },
				{ displayName: 'Capture Error', name: 'captureError', type: 'boolean', default: false },
				{ displayName: 'Error Item Shape', name: 'errorItemShape', type: 'options', default: 'plain',
					options: [
						{ name: 'Plain', value: 'plain' },
						{ name: 'Extra Keys', value: 'extraKeys' },
						{ name: 'Extra Keys With Item Error', value: 'extraKeysWithItemError' },
						{ name: 'Details', value: 'details' },
						{ name: 'Throw', value: 'throw' },
					] },
				{ displayName: 'Sleep (Ms)', name: 'sleepMs', type: 'number', default: 100 },
				{ displayName: 'Thing', name: 'thing', type: 'resourceLocator', default: { mode: 'list', value: '' },
					modes: [
						{ displayName: 'From List', name: 'list', type: 'list',
							typeOptions: { searchListMethod: 'searchThings', searchable: true } },
						{ displayName: 'ID', name: 'id', type: 'string' },
					] },
			],
		};
		this.methods = {
			listSearch: {
				async searchThings(filter, paginationToken) {
					const credentials = await this.getCredentials('e2eDummyApi');
					const all = ['alpha', 'beta', 'gamma', 'delta'].map((v) => ({ name: v.toUpperCase() + ' (' + credentials.token + ')', value: v }));
					const results = all.filter((r) => !filter || r.value.includes(filter));
					return { results, paginationToken: paginationToken ? undefined : 'page2' };
				},
			},
		};
	}

	async execute() {
		const items = this.getInputData();
		const out = [];
		for (let i = 0; i < items.length; i++) {
			const operation = this.getNodeParameter('operation', i);
			if (operation === 'probe') {
				const signal = typeof this.getExecutionCancelSignal === 'function' ? this.getExecutionCancelSignal() : undefined;
				const t0 = Date.now();
				const sleepReturn = await sleep(150);
				const sleptMs = Date.now() - t0;
				out.push({ json: {
					nodeVersion: process.version,
					nodePath: process.env.NODE_PATH,
					hasGetExecutionCancelSignal: typeof this.getExecutionCancelSignal,
					hasOnExecutionCancellation: typeof this.onExecutionCancellation,
					signalClass: signal ? signal.constructor.name : String(signal),
					signalAborted: signal ? signal.aborted : null,
					sleepArity: sleep.length,
					sleepSource: String(sleep).slice(0, 200),
					sleepReturn: String(sleepReturn),
					sleptMs,
					pLimit: resolveInfo('p-limit'),
					zod: resolveInfo('zod'),
					n8nWorkflow: resolveInfo('n8n-workflow'),
					continueOnFail: this.continueOnFail(),
				}, pairedItem: { item: i } });
				continue;
			}
			if (operation === 'sleep') {
				const ms = this.getNodeParameter('sleepMs', i);
				const signal = this.getExecutionCancelSignal();
				const t0 = Date.now();
				let outcome;
				try {
					await sleep(ms, signal);
					outcome = { resolved: true };
				} catch (e) {
					outcome = { rejected: describeError(e), signalAborted: signal && signal.aborted, reason: describeError(signal && signal.reason) };
					if (process.env.E2E_DUMMY_LOG) fs.appendFileSync(process.env.E2E_DUMMY_LOG, JSON.stringify({ node: this.getNode().name, sleep: outcome, ms: Date.now() - t0 }) + '\\n');
					throw e;
				}
				out.push({ json: { ...outcome, elapsedMs: Date.now() - t0 }, pairedItem: { item: i } });
				continue;
			}
			const options = JSON.parse(this.getNodeParameter('requestOptions', i));
			if (options.json === undefined && options.body !== undefined && typeof options.body === 'object') options.json = true;
			try {
				const response = await this.helpers.httpRequestWithAuthentication.call(this, 'e2eDummyApi', options);
				out.push({ json: { response: response === undefined ? null : JSON.parse(JSON.stringify(response)), item: i }, pairedItem: { item: i } });
			} catch (error) {
				if (process.env.E2E_DUMMY_LOG) fs.appendFileSync(process.env.E2E_DUMMY_LOG, JSON.stringify({ node: this.getNode().name, item: i, error: describeError(error) }) + '\\n');
				if (this.getNodeParameter('captureError', i)) {
					out.push({ json: { caught: describeError(error) }, pairedItem: { item: i } });
					continue;
				}
				const shape = this.getNodeParameter('errorItemShape', i);
				if (this.continueOnFail() && shape !== 'throw') {
					if (shape === 'plain') {
						out.push({ json: { error: error.message }, pairedItem: { item: i } });
					} else if (shape === 'details') {
						out.push({ json: { error: error.message, details: { code: 'X', httpStatus: error.httpCode } }, pairedItem: { item: i } });
					} else if (shape === 'extraKeys') {
						out.push({ json: { error: error.message, code: 'X', httpStatus: error.httpCode }, pairedItem: { item: i } });
					} else {
						out.push({ json: { error: error.message, code: 'X', httpStatus: error.httpCode }, error, pairedItem: { item: i } });
					}
					continue;
				}
				if (error.context) error.context.itemIndex = i;
				throw error;
			}
		}
		return [out];
	}
}
exports.E2eDummy = E2eDummy;
`;

/** Writes the dummy package into a new temp folder (or `dir`) and returns that folder. */
export function createDummyPackage(dir?: string): string {
	const root = dir ?? mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-e2edummy-'));
	mkdirSync(path.join(root, 'dist', 'credentials'), { recursive: true });
	mkdirSync(path.join(root, 'dist', 'nodes', 'E2eDummy'), { recursive: true });
	writeFileSync(
		path.join(root, 'package.json'),
		JSON.stringify(
			{
				name: DUMMY_PACKAGE_NAME,
				version: '0.0.1',
				description: 'Throwaway package for the e2e harness tests',
				license: 'MIT',
				keywords: ['n8n-community-node-package'],
				main: 'index.js',
				files: ['dist'],
				n8n: {
					n8nNodesApiVersion: 1,
					credentials: ['dist/credentials/E2eDummyApi.credentials.js'],
					nodes: ['dist/nodes/E2eDummy/E2eDummy.node.js'],
				},
				peerDependencies: { 'n8n-workflow': '*' },
			},
			null,
			2,
		),
	);
	writeFileSync(
		path.join(root, 'dist', 'credentials', 'E2eDummyApi.credentials.js'),
		CREDENTIAL_JS,
	);
	writeFileSync(path.join(root, 'dist', 'nodes', 'E2eDummy', 'E2eDummy.node.js'), NODE_JS);
	return root;
}
