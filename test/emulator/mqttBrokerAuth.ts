/**
 * Hooks MqttAccess into the aedes broker: CONNECT is checked in the login mode its username names,
 * SUBSCRIBE needs read and PUBLISH write permission on the topic, and live sessions are tracked
 * for QuerySessionByClientId. Knob `mqttAuth`: `open` (default) also lets a client in without a
 * username, with every permission, as the older tests and benches connect; `strict` refuses it.
 */
import type Aedes from 'aedes';
import type { AuthenticateError, Client } from 'aedes';

import {
	LoginRefused,
	OPEN_GRANT,
	mayUse,
	type Grant,
	type MqttAccess,
	type Session,
} from './mqttAccess';

export type MqttAuthMode = 'open' | 'strict';

/** aedes' return code 5, "not authorized" (a `const enum` in its types, so written out). */
const NOT_AUTHORIZED = 5;
/** aedes' return code 4, "bad user name or password". */
const BAD_USERNAME_OR_PASSWORD = 4;

function refusal(message: string, returnCode: number): AuthenticateError {
	return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

export function installMqttAuth(broker: Aedes, access: MqttAccess, mode: () => MqttAuthMode): void {
	const grants = new WeakMap<Client, Grant>();
	const sessions = new WeakMap<Client, Session>();

	broker.authenticate = (client, username, password, done) => {
		if (username === undefined || username === '') {
			if (mode() === 'strict') {
				done(refusal('a username is required', NOT_AUTHORIZED), false);
				return;
			}
			grants.set(client, OPEN_GRANT);
			done(null, true);
			return;
		}
		try {
			grants.set(client, access.login(client.id, username, password?.toString('utf8') ?? ''));
			done(null, true);
		} catch (error) {
			const reason = error instanceof LoginRefused ? error.message : String(error);
			done(refusal(reason, BAD_USERNAME_OR_PASSWORD), false);
		}
	};

	const usable = (client: Client | null): Grant | null => {
		if (!client) return OPEN_GRANT; // the broker's own publishes (SendMessage)
		const grant = grants.get(client);
		return grant && access.stillValid(grant) ? grant : null;
	};

	broker.authorizeSubscribe = (client, subscription, done) => {
		const grant = usable(client);
		// A refused filter gets the SUBACK failure code 128, as ApsaraMQ answers.
		done(null, grant && mayUse(grant.read, subscription.topic) ? subscription : null);
	};

	broker.authorizePublish = (client, packet, done) => {
		const grant = usable(client);
		done(grant && mayUse(grant.write, packet.topic) ? null : new Error('publish not authorized'));
	};

	broker.on('clientReady', (client) => {
		const session: Session = {
			clientId: client.id,
			grant: grants.get(client) ?? OPEN_GRANT,
			close: () => client.close(),
		};
		sessions.set(client, session);
		access.open(session);
	});
	broker.on('clientDisconnect', (client) => {
		const session = sessions.get(client);
		if (session) access.closed(session);
	});
}
