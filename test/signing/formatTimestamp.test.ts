import { formatTimestamp, SigningError } from '../../nodes/ApsaraMq/transport/signing';

/** Timestamp / x-acs-date format (docs/signing.md#timestamps). */
describe('formatTimestamp', () => {
	it.each([
		['2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00Z'],
		['2024-01-01T00:00:00.999Z', '2024-01-01T00:00:00Z'],
		['2023-03-13T08:34:30.123Z', '2023-03-13T08:34:30Z'],
		['2024-02-29T23:59:59.500Z', '2024-02-29T23:59:59Z'],
	])('%s → %s', (iso, expected) => {
		expect(formatTimestamp(new Date(iso))).toBe(expected);
	});

	it('formats in UTC whatever the offset the date was written with', () => {
		expect(formatTimestamp(new Date('2024-01-01T08:00:00+08:00'))).toBe('2024-01-01T00:00:00Z');
	});

	it('matches yyyy-MM-ddTHH:mm:ssZ exactly', () => {
		expect(formatTimestamp(new Date())).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
	});

	it('refuses an invalid date', () => {
		expect(() => formatTimestamp(new Date('nope'))).toThrow(SigningError);
	});
});
