import { playgroundOf } from './start';

describe('npm start: which playground', () => {
	it('starts the single n8n without arguments, the queue-mode one with --queue', () => {
		expect(playgroundOf([])).toBe('single');
		expect(playgroundOf(['--queue'])).toBe('queue');
	});

	it('refuses any other argument, saying what it takes', () => {
		expect(() => playgroundOf(['--queu'])).toThrow(
			/unknown option --queu: npm start takes only --queue/,
		);
	});
});
