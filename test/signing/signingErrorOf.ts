import { SigningError } from '../../nodes/ApsaraMq/transport/signing';

/** The SigningError that `fn` throws; fails the test when it throws nothing or something else. */
export function signingErrorOf(fn: () => unknown): SigningError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(SigningError);
		return error as SigningError;
	}
	throw new Error('expected a SigningError');
}
