import { compactJsonText, valueToJson } from '../../nodes/ApsaraMq/validation/jsonText';

describe('JSON payloads', () => {
	it('keeps every number and string of JSON text exactly as written', () => {
		expect(compactJsonText('{"id": 12345678901234567890}')).toBe('{"id":12345678901234567890}');
		expect(compactJsonText('[1e400, -0, 1.50, 0.1e-999]')).toBe('[1e400,-0,1.50,0.1e-999]');
		expect(compactJsonText('{ "a b": "x  y\\" z", "\\u00e9" : "\\n" }')).toBe('{"a b":"x  y\\" z","\\u00e9":"\\n"}');
		expect(compactJsonText(' \n\t"s"\r\n')).toBe('"s"');
	});

	it('accepts valid JSON nested 5,000 and 30,000 deep', () => {
		for (const depth of [5000, 30_000]) {
			const text = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
			expect(compactJsonText(text)).toBe(text);
		}
	});

	it('refuses text that is not JSON', () => {
		expect(() => compactJsonText('{"a":}')).toThrow(SyntaxError);
		expect(() => compactJsonText('NaN')).toThrow(SyntaxError);
		expect(() => compactJsonText('')).toThrow(SyntaxError);
	});

	it('serializes plain values and refuses what JSON cannot hold, saying what', () => {
		expect(valueToJson({ a: [1, 'x', null, true] })).toBe('{"a":[1,"x",null,true]}');
		const circular: Record<string, unknown> = {};
		circular.self = circular;
		expect(() => valueToJson(circular)).toThrow(TypeError);
		expect(() => valueToJson({ n: Number.NaN })).toThrow('holds the number NaN');
		expect(() => valueToJson([Number.POSITIVE_INFINITY])).toThrow('holds the number Infinity');
		expect(() => valueToJson(() => 1)).toThrow('not a JSON value');
	});
});
