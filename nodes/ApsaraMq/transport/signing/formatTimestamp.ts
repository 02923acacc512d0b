import { SigningError } from './errors';

/**
 * `Timestamp` (V2) and `x-acs-date` (V3): UTC `yyyy-MM-ddTHH:mm:ssZ` without milliseconds
 * (docs/signing.md#timestamps). Every Alibaba SDK strips the milliseconds, so we do too.
 */
export function formatTimestamp(now: Date): string {
	if (Number.isNaN(now.getTime())) {
		throw new SigningError('Cannot sign the request: the signing time is not a valid date.');
	}
	return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
