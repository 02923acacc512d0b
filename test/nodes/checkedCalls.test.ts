import { CheckedCalls, type CheckedItem } from '../../nodes/ApsaraMq/actions/checkedCalls';

const item = (payload: string): CheckedItem => ({
	policy: { maxRetries: 0, timeoutMs: 1000, retryAmbiguous: false },
	call: { params: { Payload: payload }, toOutput: () => [] },
});

describe('CheckedCalls', () => {
	it('hands each kept item back once, then forgets it', () => {
		const checked = new CheckedCalls();
		const first = item('a');
		checked.keep(0, first);
		expect(checked.take(0)).toBe(first);
		expect(checked.take(0)).toBeUndefined();
		expect(checked.take(1)).toBeUndefined();
	});

	it('stops keeping items once the budget is spent, so memory does not grow with the batch', () => {
		// Each entry counts 512 bytes plus two bytes per character of its parameters.
		const checked = new CheckedCalls(3 * (512 + 2 * 100));
		for (let i = 0; i < 10; i++) checked.keep(i, item('x'.repeat(100)));
		const kept = Array.from({ length: 10 }, (_, i) => checked.take(i) !== undefined);
		expect(kept).toEqual([true, true, true, false, false, false, false, false, false, false]);
	});

	it('keeps nothing larger than the whole budget', () => {
		const checked = new CheckedCalls(1024);
		checked.keep(0, item('x'.repeat(1024)));
		expect(checked.take(0)).toBeUndefined();
	});
});
