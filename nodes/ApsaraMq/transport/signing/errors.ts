/**
 * The one error type of the pure signer. It carries a message written for the n8n user (it names
 * the credential field or parameter at fault and never contains a secret), so the credential can
 * rethrow it as n8n's `UserError` without rewording.
 */
export class SigningError extends Error {
	/** The credential field or request part at fault, e.g. `customEndpoint` or `x-acs-action`. */
	readonly field: string | undefined;

	constructor(message: string, field?: string) {
		super(message);
		this.name = 'SigningError';
		this.field = field;
	}
}
