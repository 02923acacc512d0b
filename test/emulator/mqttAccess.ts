/**
 * Who may connect to the emulator's MQTT broker, and to which topics: the tokens of ApplyToken,
 * the device credentials of RegisterDeviceCredential, and the live sessions behind
 * QuerySessionByClientId. The three login modes of ApsaraMQ for MQTT are described in
 * docs/mqtt-access.md#login-modes; the choices on UNCONFIRMED points are in README.md here.
 */
import { createHmac, randomBytes } from 'node:crypto';

import type { World } from './seed';

export type TokenActions = 'R' | 'W' | 'R,W';

export interface MqttToken {
	token: string;
	accountId: string;
	instanceId: string;
	/** Topic filters, wildcards allowed. */
	resources: string[];
	actions: TokenActions;
	expireAt: number;
	revoked: boolean;
}

export interface DeviceCredential {
	clientId: string;
	instanceId: string;
	accountId: string;
	deviceAccessKeyId: string;
	deviceAccessKeySecret: string;
	createTime: number;
	updateTime: number;
}

/** What a connection may do once it is accepted. `null` topics = everything. */
export interface Grant {
	instanceId: string | null;
	read: string[] | null;
	write: string[] | null;
	tokens: string[];
}

export const OPEN_GRANT: Grant = { instanceId: null, read: null, write: null, tokens: [] };

/** A live MQTT session, as QuerySessionByClientId sees it. */
export interface Session {
	clientId: string;
	grant: Grant;
	close(): void;
}

/** The longest validity ApplyToken grants (docs/mqtt-access.md#applytoken). */
export const MAX_TOKEN_VALIDITY_MS = 30 * 86_400_000;
export const MIN_TOKEN_VALIDITY_MS = 60_000;

/** base64(HMAC-SHA1(secret, clientId)): the password of the Signature and DeviceCredential modes. */
export function mqttPassword(secret: string, clientId: string): string {
	return createHmac('sha1', secret).update(clientId, 'utf8').digest('base64');
}

/** `GID_xxx@@@device`: group 7-64 characters starting GID_ or GID-, a non-empty device part. */
export function groupOfClientId(clientId: string): string | null {
	const at = clientId.indexOf('@@@');
	if (at === -1 || at + 3 >= clientId.length) return null;
	const group = clientId.slice(0, at);
	return /^GID[_-][A-Za-z0-9_-]{3,60}$/.test(group) ? group : null;
}

/** Whether the topic filter `resource` (of a token) covers the topic or filter `wanted`. */
export function covers(resource: string, wanted: string): boolean {
	const r = resource.split('/');
	const w = wanted.split('/');
	for (let i = 0; i < r.length; i++) {
		if (r[i] === '#') return true;
		if (i >= w.length || w[i] === '#') return false;
		if (r[i] !== '+' && r[i] !== w[i]) return false;
	}
	return r.length === w.length;
}

export class LoginRefused extends Error {}

export class MqttAccess {
	private tokens = new Map<string, MqttToken>();
	private devices = new Map<string, DeviceCredential>();
	private sessions = new Map<string, Session>();

	constructor(
		private readonly world: () => World,
		private readonly now: () => number,
	) {}

	clear(): void {
		this.tokens.clear();
		this.devices.clear();
	}

	// ---------- tokens ----------
	applyToken(t: Omit<MqttToken, 'token' | 'revoked'>): MqttToken {
		const token: MqttToken = {
			...t,
			token: randomBytes(48).toString('base64'),
			revoked: false,
			expireAt: Math.min(t.expireAt, this.now() + MAX_TOKEN_VALIDITY_MS),
		};
		this.tokens.set(token.token, token);
		return token;
	}

	findToken(accountId: string, instanceId: string, token: string): MqttToken | undefined {
		const found = this.tokens.get(token);
		return found && found.accountId === accountId && found.instanceId === instanceId
			? found
			: undefined;
	}

	isValid(token: MqttToken): boolean {
		return !token.revoked && token.expireAt > this.now();
	}

	/** Revokes the token and closes the sessions that logged in with it. */
	revoke(token: MqttToken): void {
		token.revoked = true;
		for (const session of [...this.sessions.values()]) {
			if (session.grant.tokens.includes(token.token)) session.close();
		}
	}

	// ---------- device credentials ----------
	private deviceKey(instanceId: string, clientId: string): string {
		return `${instanceId}\n${clientId}`;
	}

	/** One credential per device: registering again replaces it (the latest call wins). */
	register(accountId: string, instanceId: string, clientId: string): DeviceCredential {
		const t = this.now();
		const credential: DeviceCredential = {
			clientId,
			instanceId,
			accountId,
			deviceAccessKeyId: `DC.${randomBytes(12).toString('hex')}`,
			deviceAccessKeySecret: randomBytes(18).toString('base64'),
			createTime: t,
			updateTime: t,
		};
		this.devices.set(this.deviceKey(instanceId, clientId), credential);
		return credential;
	}

	device(instanceId: string, clientId: string): DeviceCredential | undefined {
		return this.devices.get(this.deviceKey(instanceId, clientId));
	}

	/** A new secret for the same device and DeviceAccessKeyId; the old secret stops working. */
	refresh(credential: DeviceCredential): DeviceCredential {
		credential.deviceAccessKeySecret = randomBytes(18).toString('base64');
		credential.updateTime = this.now();
		return credential;
	}

	unregister(credential: DeviceCredential): void {
		this.devices.delete(this.deviceKey(credential.instanceId, credential.clientId));
	}

	// ---------- sessions ----------
	open(session: Session): void {
		this.sessions.set(session.clientId, session);
	}

	closed(session: Session): void {
		if (this.sessions.get(session.clientId) === session) this.sessions.delete(session.clientId);
	}

	/** Online for an instance: a session with that client ID that logged in to it (or anonymously). */
	isOnline(instanceId: string, clientId: string): boolean {
		const session = this.sessions.get(clientId);
		return !!session && (session.grant.instanceId ?? instanceId) === instanceId;
	}

	// ---------- logging in ----------
	/**
	 * Checks a CONNECT's username and password in one of the three modes (docs/mqtt-access.md#login-modes).
	 * Throws LoginRefused with the reason.
	 */
	login(clientId: string, username: string, password: string): Grant {
		const [mode, keyId, instanceId, ...rest] = username.split('|');
		if (!mode || !keyId || !instanceId || rest.length > 0) {
			throw new LoginRefused('the username is not Mode|AccessKeyId|InstanceId');
		}
		const instance = this.world().mqttInstances.get(instanceId);
		if (!instance) throw new LoginRefused(`no instance ${instanceId}`);
		const group = groupOfClientId(clientId);
		if (!group) throw new LoginRefused(`the client ID ${clientId} is not GID_xxx@@@device`);
		if (instance.groups.length > 0 && !instance.groups.includes(group)) {
			throw new LoginRefused(`the group ${group} does not exist in ${instanceId}`);
		}
		const all: Grant = { instanceId, read: null, write: null, tokens: [] };
		if (mode === 'Signature') {
			const key = this.world().keys.get(keyId);
			if (!key || key.disabled || key.securityToken !== undefined) {
				throw new LoginRefused('unknown AccessKey');
			}
			if (password !== mqttPassword(key.accessKeySecret, clientId)) {
				throw new LoginRefused('wrong signature');
			}
			return all;
		}
		if (mode === 'DeviceCredential') {
			const credential = this.device(instanceId, clientId);
			if (!credential || credential.deviceAccessKeyId !== keyId) {
				throw new LoginRefused('no device credential for this client ID');
			}
			if (password !== mqttPassword(credential.deviceAccessKeySecret, clientId)) {
				throw new LoginRefused('wrong device signature');
			}
			return all;
		}
		if (mode === 'Token') return this.tokenGrant(keyId, instanceId, password);
		throw new LoginRefused(`unknown mode ${mode}`);
	}

	/** `R|tokenA|W|tokenB`: every token must be valid and of the type it is given as. */
	private tokenGrant(keyId: string, instanceId: string, password: string): Grant {
		const key = this.world().keys.get(keyId);
		if (!key || key.disabled) throw new LoginRefused('unknown AccessKey');
		const parts = password.split('|');
		if (parts.length < 2 || parts.length % 2 !== 0) {
			throw new LoginRefused('the password is not Type|Token[|Type|Token]');
		}
		const grant: Grant = { instanceId, read: [], write: [], tokens: [] };
		for (let i = 0; i < parts.length; i += 2) {
			const [type, value] = [parts[i], parts[i + 1]];
			const token = this.findToken(key.accountId, instanceId, value);
			if (!token) throw new LoginRefused('unknown token');
			if (!this.isValid(token))
				throw new LoginRefused(token.revoked ? 'revoked token' : 'expired token');
			const expected = token.actions === 'R,W' ? 'RW' : token.actions;
			if (type !== expected) throw new LoginRefused(`a ${expected} token given as ${type}`);
			if (type.includes('R')) grant.read?.push(...token.resources);
			if (type.includes('W')) grant.write?.push(...token.resources);
			grant.tokens.push(token.token);
		}
		return grant;
	}

	/** Whether a session may still use its tokens (none expired or revoked since it connected). */
	stillValid(grant: Grant): boolean {
		return grant.tokens.every((value) => {
			const token = this.tokens.get(value);
			return !!token && this.isValid(token);
		});
	}
}

export function mayUse(topics: string[] | null, topic: string): boolean {
	return topics === null || topics.some((resource) => covers(resource, topic));
}
