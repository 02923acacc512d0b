import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve, sep } from 'path';

/**
 * The repository carries its own knowledge: code, tests and documents cite `docs/<file>.md`
 * (with a heading anchor where it helps) or public URLs, never the team's private notes, a path
 * of a build machine, or an issue number whose meaning lives elsewhere. This test fails on such a
 * citation, and on a citation of a `docs/` file or anchor that does not exist.
 */

const ROOT = resolve(__dirname, '..', '..');

/** What is scanned: these folders (recursively) and files, relative to the repository root. */
const SCANNED = ['nodes', 'credentials', 'test', 'docs', 'README.md'];

/** Generated benchmark data: it records the machine it ran on, and is rewritten by every run. */
const isGeneratedData = (path: string) => /^test\/bench\/results\/.*\.json$/.test(path);

interface Finding {
	file: string;
	line: number;
	text: string;
	why: string;
}

const STALE: Array<{ pattern: RegExp; why: string }> = [
	{ pattern: /\/work\//g, why: 'an absolute path of a build machine' },
	{ pattern: /shared\/(?:reference|spec)\b/g, why: "a folder of the team's private notes" },
	{
		// The one-letter classes only keep a plain grep for these names from matching this line.
		pattern: /\b(?:alibaba-open[a]pi|n8n-community-[n]odes|style-[a]nchors|rocketmq-[h]ttp|n8n-queue-[m]ode)\.md\b/g,
		why: 'a private note; cite the docs/ file that carries the fact',
	},
	{ pattern: /\bissues? \(?#\d+/gi, why: 'an issue number; say what it meant' },
	{
		pattern: /\breference (?:sections? )?\d+(?:\.\d+)?\b/gi,
		why: 'a section number of a private note; cite a docs/ heading',
	},
];

const INTERFACE_NOTE = /interface\.md/g;

/** The interface document may be cited as docs/… or, from inside docs/, by a relative link. */
function isDocsInterface(before: string, file: string): boolean {
	if (before.endsWith('docs/')) return true;
	return file.startsWith('docs/') && /\]\((?:\.\/)?$/.test(before);
}

/** Every stale citation in `text`, the content of the repository file `file`. */
export function staleReferences(file: string, text: string): Finding[] {
	const findings: Finding[] = [];
	text.split('\n').forEach((lineText, index) => {
		const add = (why: string) =>
			findings.push({ file, line: index + 1, text: lineText.trim(), why });
		for (const { pattern, why } of STALE) {
			if (lineText.match(pattern)) add(why);
		}
		for (const match of lineText.matchAll(INTERFACE_NOTE)) {
			if (!isDocsInterface(lineText.slice(0, match.index), file)) {
				add('the interface document without the docs/ prefix (the private spec, or a broken link)');
			}
		}
	});
	return findings;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, each space a hyphen. */
export function githubAnchor(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]*>/g, '')
		.replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

/** The anchors of a Markdown document, numbered `-1`, `-2` … on repeats, as GitHub does. */
export function anchorsOf(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	let fenced = false;
	for (const line of markdown.split('\n')) {
		if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
		const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const base = githubAnchor(heading[1]);
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	return anchors;
}

/** Reads a repository file, relative to the root; undefined when there is none. */
type ReadFile = (path: string) => string | undefined;

const CITATION = /\bdocs\/([\w.-]+\.md)(?:#([\w-]+))?/g;
const MARKDOWN_LINK = /\]\(([^)\s]+)\)/g;

/** Where `target` (`path#anchor`, `#anchor` or `path`) breaks, or undefined when it resolves. */
function brokenTarget(target: string, read: ReadFile): string | undefined {
	const [path, anchor] = target.split('#');
	const text = read(path);
	if (text === undefined) return `${path} does not exist`;
	if (anchor !== undefined && path.endsWith('.md') && !anchorsOf(text).has(anchor)) {
		return `${path} has no heading with the anchor #${anchor}`;
	}
	return undefined;
}

/**
 * Citations of `docs/<file>.md#anchor` anywhere, and relative links of Markdown files, that do
 * not resolve to an existing file and heading.
 */
export function brokenCitations(file: string, text: string, read: ReadFile): Finding[] {
	const findings: Finding[] = [];
	text.split('\n').forEach((lineText, index) => {
		const add = (why: string) =>
			findings.push({ file, line: index + 1, text: lineText.trim(), why });
		for (const [, name, anchor] of lineText.matchAll(CITATION)) {
			const why = brokenTarget(`docs/${name}${anchor ? `#${anchor}` : ''}`, read);
			if (why) add(why);
		}
		if (!file.endsWith('.md')) return;
		for (const [, target] of lineText.matchAll(MARKDOWN_LINK)) {
			if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto:
			const [path, anchor] = target.split('#');
			const resolved = path === '' ? file : relative(ROOT, join(ROOT, dirname(file), path));
			const normalised = resolved.split(sep).join('/');
			const why = brokenTarget(anchor === undefined ? normalised : `${normalised}#${anchor}`, read);
			if (why) add(why);
		}
	});
	return findings;
}

function repositoryFiles(): string[] {
	const files: string[] = [];
	const walk = (path: string) => {
		const absolute = join(ROOT, path);
		if (!existsSync(absolute)) return;
		if (statSync(absolute).isDirectory()) {
			for (const entry of readdirSync(absolute)) {
				if (entry !== 'node_modules') walk(`${path}/${entry}`);
			}
		} else if (!isGeneratedData(path)) {
			files.push(path);
		}
	};
	for (const path of SCANNED) walk(path);
	return files;
}

const readRepositoryFile: ReadFile = (path) => {
	const absolute = join(ROOT, path);
	if (!existsSync(absolute)) return undefined;
	return statSync(absolute).isDirectory() ? '' : readFileSync(absolute, 'utf8');
};

const describeFinding = ({ file, line, why, text }: Finding) => `${file}:${line}: ${why}: ${text}`;

/** Pieces joined at run time, so that this file holds none of the strings it looks for. */
const joined = (...parts: string[]) => parts.join('');

describe('the checks themselves', () => {
	it.each([
		joined('see /wo', 'rk/', 'shared', '/reference/notes.md, sections 2-8'),
		joined('the notes in shared', '/spec'),
		joined('(alibaba-open', 'api.md section 13)'),
		joined('n8n-community-', 'nodes.md section 4.3'),
		joined('(style-', 'anchors.md section 5)'),
		joined('the fields of spec/inter', 'face.md'),
		joined('keeps the public names of inter', 'face.md'),
		joined('iss', 'ue #', "4's guarantees"),
		joined('npm run bench (Iss', 'ue (#4))'),
		joined('in the order of refer', 'ence section 14'),
		joined('Quotas (refer', 'ence 10.2)'),
	])('flags %j', (text) => {
		expect(staleReferences('nodes/example.ts', text)).not.toEqual([]);
	});

	it.each([
		'Quotas: docs/quotas-and-retries.md#quotas.',
		'the public names of docs/interface.md',
		'see https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature',
		'the fixes of aliyun/alibaba-cloud-sdk-go#39 and n8n-io/n8n#14423',
	])('accepts %j', (text) => {
		expect(staleReferences('nodes/example.ts', text)).toEqual([]);
	});

	it('accepts a relative link to the interface document only from inside docs/', () => {
		const link = joined('[Public interface](inter', 'face.md#output)');
		expect(staleReferences('docs/errors.md', link)).toEqual([]);
		expect(staleReferences('test/emulator/README.md', link)).not.toEqual([]);
	});

	it('computes heading anchors the way GitHub does', () => {
		expect(githubAnchor('V3')).toBe('v3');
		expect(githubAnchor('Vector G and H')).toBe('vector-g-and-h');
		expect(githubAnchor('Planned for 0.2')).toBe('planned-for-02');
		expect(githubAnchor('What n8n 2.41.1 does (pinned by `n8n-facts.e2e.test.ts`)')).toBe(
			'what-n8n-2411-does-pinned-by-n8n-factse2etestts',
		);
		expect(githubAnchor('Speed, quotas and safe retries')).toBe('speed-quotas-and-safe-retries');
		expect([...anchorsOf('# A\n## Notes\n```\n# not a heading\n```\n### Notes\n')]).toEqual([
			'a',
			'notes',
			'notes-1',
		]);
	});

	it('flags a citation of a missing docs/ file or anchor, and a broken relative link', () => {
		const docs: Record<string, string> = { 'docs/signing.md': '# Signing\n## V3\n' };
		const read: ReadFile = (path) => docs[path];
		const cite = (target: string) => joined('see docs', '/', target);
		expect(brokenCitations('nodes/a.ts', cite('signing.md#v3'), read)).toEqual([]);
		expect(brokenCitations('nodes/a.ts', cite('signing.md#v4'), read)).toHaveLength(1);
		expect(brokenCitations('nodes/a.ts', cite('nowhere.md'), read)).toHaveLength(1);
		const inDocs = joined('docs', '/x.md');
		expect(brokenCitations(inDocs, '[V3](signing.md#v3)', read)).toEqual([]);
		expect(brokenCitations(inDocs, '[V4](signing.md#v4)', read)).toHaveLength(1);
		expect(brokenCitations(inDocs, '[gone](../nowhere.md)', read)).toHaveLength(1);
	});
});

describe('references in the repository', () => {
	const files = repositoryFiles();
	const texts = files.map((file) => [file, readFileSync(join(ROOT, file), 'utf8')] as const);

	it('scans the code, the tests and the documents', () => {
		expect(files).toEqual(
			expect.arrayContaining([
				'README.md',
				'docs/README.md',
				'credentials/AlibabaCloudAccessKeyApi.credentials.ts',
				'test/docs/references.test.ts',
			]),
		);
		expect(files.filter(isGeneratedData)).toEqual([]);
	});

	it('cites no private note, machine path or issue number', () => {
		const findings = texts.flatMap(([file, text]) => staleReferences(file, text));
		expect(findings.map(describeFinding)).toEqual([]);
	});

	it('cites only docs/ files and anchors that exist', () => {
		const findings = texts.flatMap(([file, text]) =>
			brokenCitations(file, text, readRepositoryFile),
		);
		expect(findings.map(describeFinding)).toEqual([]);
	});

	it('lists every docs/ file in docs/README.md', () => {
		const index = readFileSync(join(ROOT, 'docs', 'README.md'), 'utf8');
		const documents = readdirSync(join(ROOT, 'docs')).filter(
			(name) => name.endsWith('.md') && name !== 'README.md',
		);
		expect(documents.length).toBeGreaterThan(0);
		for (const name of documents) expect(index).toContain(`](${name})`);
	});
});
