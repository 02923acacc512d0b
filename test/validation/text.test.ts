import {
	controlCharacterProblem,
	invisibleCharacterProblem,
	lengthProblem,
	loneSurrogateProblem,
	textProblem,
	trimTrailing,
	whitespaceProblem,
} from '../../nodes/ApsaraMq/validation/text';

/** A check must finish on 256 KB of the worst input for it well inside a test's patience. */
const PATHOLOGICAL = 256 * 1024;

describe('text checks of user fields', () => {
	it('finds an unpaired surrogate anywhere, and accepts whole emoji', () => {
		expect(loneSurrogateProblem('a\ud83dz')).toMatch(/unpaired UTF-16 surrogate/);
		expect(loneSurrogateProblem('\ude00')).toMatch(/unpaired/);
		expect(loneSurrogateProblem('ok 😀')).toBeUndefined();
	});

	it.each([
		['NUL', '\u0000', 'U+0000'],
		['LF', 'a\nb', 'U+000A'],
		['CR', 'a\r', 'U+000D'],
		['DEL', '\u007f', 'U+007F'],
		['a C1 control', '\u0085', 'U+0085'],
	])('names the control character %s by its code point', (_name, value, codePoint) => {
		expect(controlCharacterProblem(value)).toContain(codePoint);
	});

	it.each([
		['a zero-width space', '\u200b', 'U+200B'],
		['a zero-width joiner', '\u200d', 'U+200D'],
		['a BOM', '\ufeff', 'U+FEFF'],
		['a bidi override', '\u202e', 'U+202E'],
		['a soft hyphen', '\u00ad', 'U+00AD'],
	])('names the invisible character %s', (_name, value, codePoint) => {
		expect(invisibleCharacterProblem(`GID${value}x`)).toContain(codePoint);
	});

	it('accepts ordinary text, accents and CJK', () => {
		for (const value of ['GID_test-1', 'héllo wörld', '中文', 'TopicA/dev 1']) {
			expect(controlCharacterProblem(value)).toBeUndefined();
			expect(invisibleCharacterProblem(value)).toBeUndefined();
		}
	});

	it('bounds the length exactly', () => {
		expect(lengthProblem('x'.repeat(64), 64)).toBeUndefined();
		expect(lengthProblem('x'.repeat(65), 64)).toBe('is 65 characters long, over the limit of 64');
	});

	it('refuses whitespace inside an identifier', () => {
		expect(whitespaceProblem('a b')).toBeDefined();
		expect(whitespaceProblem('a\tb')).toBeDefined();
		expect(whitespaceProblem('ab')).toBeUndefined();
	});

	it('applies the rules in order: surrogate, length, whitespace, controls, invisible', () => {
		const rules = { maxLength: 5, noWhitespace: true, noControlCharacters: true, noInvisibleCharacters: true };
		expect(textProblem('\ud800', rules)).toMatch(/surrogate/);
		expect(textProblem('abcdef', rules)).toMatch(/over the limit of 5/);
		expect(textProblem('a b', rules)).toMatch(/spaces/);
		expect(textProblem('a\u0000', rules)).toMatch(/U\+0000/);
		expect(textProblem('a\u200b', rules)).toMatch(/U\+200B/);
		expect(textProblem('abc', rules)).toBeUndefined();
		expect(textProblem('a\u0000\u200b b', {})).toBeUndefined();
	});

	it('trimTrailing removes a run of one character only at the end', () => {
		expect(trimTrailing('Done...', '.')).toBe('Done');
		expect(trimTrailing('a.b', '.')).toBe('a.b');
		expect(trimTrailing('...', '.')).toBe('');
		expect(trimTrailing('', '.')).toBe('');
	});

	it('every check is linear: 256 KB of the worst input for each, all together, take no time to speak of', () => {
		const dots = '.'.repeat(PATHOLOGICAL);
		const dotsThenX = `${dots}x`;
		const spaces = ' '.repeat(PATHOLOGICAL);
		// The quadratic `/\.+$/` would retry from each of the 262,144 dots of `dotsThenX`. The
		// answers prove each check read the whole input; a quadratic one would not finish within
		// the test's timeout.
		expect(trimTrailing(dots, '.')).toBe('');
		expect(trimTrailing(dotsThenX, '.')).toBe(dotsThenX);
		expect(textProblem(`${spaces}\u200b`, { noInvisibleCharacters: true })).toMatch(/U\+200B/);
		expect(textProblem(`${'a'.repeat(PATHOLOGICAL)}\u0001`, { noControlCharacters: true })).toMatch(/U\+0001/);
		expect(textProblem(`${'😀'.repeat(PATHOLOGICAL / 2)}\ud800`, {})).toMatch(/surrogate/);
	});
});
