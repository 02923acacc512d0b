import { buildCanonicalQuery, sortedParameterNames } from '../../nodes/ApsaraMq/transport/signing';

/** Stage 2: canonicalized query (docs/signing.md#canonical-query). */
describe('buildCanonicalQuery', () => {
	it('is empty for no parameters', () => {
		expect(buildCanonicalQuery({})).toBe('');
	});

	it('sorts by raw name in code-unit order (upper case before lower case)', () => {
		expect(buildCanonicalQuery({ b: '1', a: '2', B: '3', 'a.b': '4', A: '5' })).toBe(
			'A=5&B=3&a=2&a.b=4&b=1',
		);
	});

	it('sorts before encoding: "a" comes before "é" although "%C3%A9" < "a"', () => {
		expect(buildCanonicalQuery({ é: '2', a: '1' })).toBe('a=1&%C3%A9=2');
		expect(sortedParameterNames({ é: '2', a: '1' })).toEqual(['a', 'é']);
	});

	it('writes an empty value as "name="', () => {
		expect(buildCanonicalQuery({ empty: '', test: 'ok' })).toBe('empty=&test=ok');
	});

	it('encodes names and values strictly', () => {
		expect(buildCanonicalQuery({ 'Tag.1.Key': 'a b', 'x*y': "(')!" })).toBe(
			'Tag.1.Key=a%20b&x%2Ay=%28%27%29%21',
		);
	});

	it('never leaves a raw "+" (it would decode to a space)', () => {
		const query = buildCanonicalQuery({ p: '1+1=2', 'q+': 'x' });
		expect(query).toBe('p=1%2B1%3D2&q%2B=x');
		expect(query).not.toContain('+');
	});

	it('handles a parameter named __proto__ in a prototype-less map', () => {
		const params = Object.create(null) as Record<string, string>;
		params.__proto__ = 'x';
		params.a = 'y';
		expect(buildCanonicalQuery(params)).toBe('__proto__=x&a=y');
	});

	it('keeps numeric-looking names in string order, not numeric order', () => {
		expect(buildCanonicalQuery({ '10': 'a', '9': 'b', '1': 'c' })).toBe('1=c&10=a&9=b');
	});
});
