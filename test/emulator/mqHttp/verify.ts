/**
 * Authentication of one RocketMQ HTTP request, in the order the emulator README lists:
 * Authorization shape, Date, AccessKey, signature, Content-MD5, STS token, RAM permission.
 */
import type { IncomingMessage } from 'node:http';

import type { AccessKey, World } from '../seed';
import { safeEqual } from '../signature';
import { mqErrors } from './errors';
import {
	mqSignature,
	mqStringToSign,
	parseHttpDate,
	parseMqAuthorization,
	sdkContentMd5,
} from './signature';

export interface VerifyInput {
	req: IncomingMessage;
	body: Buffer;
	world: World;
	/** The emulator's clock (with its skew knob). */
	now: number;
	windowMs: number;
	/** The RAM action this request needs: `mq:PUB` or `mq:SUB`. */
	ramAction: string;
	/** Told the AccessKey as soon as it is known, for the call record. */
	onKey(accessKeyId: string): void;
}

function header(req: IncomingMessage, name: string): string | undefined {
	const v = req.headers[name];
	return Array.isArray(v) ? v.join(',') : v;
}

export function verifyMqRequest(input: VerifyInput): AccessKey {
	const { req, body, world } = input;
	const authorization = header(req, 'authorization');
	if (authorization === undefined) throw mqErrors.missingAuthorization();
	const auth = parseMqAuthorization(authorization);
	if (!auth) throw mqErrors.invalidAuthorization();
	input.onKey(auth.accessKeyId);

	const date = header(req, 'date');
	if (date === undefined) throw mqErrors.missingDate();
	const t = parseHttpDate(date);
	if (t === null) throw mqErrors.invalidDate();
	if (Math.abs(input.now - t) > input.windowMs) throw mqErrors.timeExpired();

	const key = world.keys.get(auth.accessKeyId);
	if (!key) throw mqErrors.invalidAccessKeyId(`The AccessKey ${auth.accessKeyId} does not exist.`);
	if (key.disabled)
		throw mqErrors.invalidAccessKeyId(`The AccessKey ${auth.accessKeyId} is disabled.`);

	const mqHeaders: Record<string, string> = {};
	for (const name of Object.keys(req.headers)) {
		if (name.startsWith('x-mq-')) mqHeaders[name] = header(req, name) ?? '';
	}
	const contentMd5 = header(req, 'content-md5');
	const stringToSign = mqStringToSign({
		method: req.method ?? 'GET',
		contentMd5,
		contentType: header(req, 'content-type'),
		date,
		mqHeaders,
		resource: req.url ?? '/',
	});
	if (!safeEqual(mqSignature(key.accessKeySecret, stringToSign), auth.signature)) {
		throw mqErrors.signature(stringToSign);
	}
	// The signature covers the Content-MD5 header, not the body: a body changed on the way is
	// caught here, when the client sent the digest.
	if (contentMd5 !== undefined && contentMd5 !== '' && contentMd5 !== sdkContentMd5(body)) {
		throw mqErrors.invalidDigest();
	}

	const token = header(req, 'security-token');
	if (key.securityToken !== undefined) {
		if (token !== key.securityToken) {
			throw mqErrors.accessDenied(
				'The security-token header is missing or does not belong to this STS AccessKey.',
			);
		}
		const expires = key.securityTokenExpiresAt ? Date.parse(key.securityTokenExpiresAt) : NaN;
		if (!Number.isNaN(expires) && expires <= input.now) {
			throw mqErrors.accessDenied('The security token has expired.');
		}
	} else if (token) {
		throw mqErrors.accessDenied('A security-token was sent with a permanent AccessKey.');
	}

	if (!ramAllows(key, input.ramAction)) {
		throw mqErrors.accessDenied(
			`${key.identity.userName ?? key.accessKeyId} is not allowed to perform ${input.ramAction}.`,
		);
	}
	return key;
}

/** `allowedApis` patterns `product:Action` with `*`; absent = everything allowed. */
function ramAllows(key: AccessKey, action: string): boolean {
	if (!key.allowedApis) return true;
	const [product, name] = action.split(':');
	return key.allowedApis.some((pattern) => {
		const [p, a = '*'] = pattern.split(':');
		return (p === '*' || p === product) && (a === '*' || a === name);
	});
}
