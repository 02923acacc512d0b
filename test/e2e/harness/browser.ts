/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// A real browser for the editor test: Debian's Chromium (test/e2e/install-chromium.sh installs it
// when missing), driven by puppeteer-core, which never downloads a browser of its own. Also where
// the screenshots go, and waits for what a person would see: visible elements and their text.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';

import { repoRoot } from './install';

/** Screenshots of the browser test, for a person to look at (git-ignored). */
export const SCREENSHOTS_DIR = path.join(repoRoot(), 'test', 'e2e', 'screenshots');

/** The Chromium binary, installed with apt-get first if `chromium` is not on PATH. */
export async function ensureChromium(): Promise<string> {
	const script = path.join(repoRoot(), 'test', 'e2e', 'install-chromium.sh');
	return await new Promise((resolve, reject) => {
		execFile('bash', [script], { timeout: 15 * 60_000 }, (error, stdout, stderr) => {
			if (error) {
				reject(new Error(`${script} failed:\n${stderr.trim() || error.message}`));
				return;
			}
			resolve(stdout.trim().split('\n').pop() ?? '');
		});
	});
}

/** Headless Chromium at 1440×900. Root needs --no-sandbox; /dev/shm may be small in containers. */
export async function launchChromium(executablePath: string): Promise<Browser> {
	return await puppeteer.launch({
		executablePath,
		headless: true,
		args: ['--no-sandbox', '--disable-dev-shm-usage', '--window-size=1440,900'],
		defaultViewport: { width: 1440, height: 900 },
		// Each DevTools call may wait for a busy renderer on a shared 2-core machine.
		protocolTimeout: 180_000,
	});
}

/** Numbered screenshots in SCREENSHOTS_DIR, emptied first so that only this run's are there. */
export class Screenshots {
	private count = 0;

	constructor(private readonly dir = SCREENSHOTS_DIR) {
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
	}

	async take(page: Page, name: string): Promise<string> {
		this.count += 1;
		const file = path.join(this.dir, `${String(this.count).padStart(2, '0')}-${name}.png`);
		await page.screenshot({ path: file as `${string}.png` });
		return file;
	}

	/** A screenshot and the page's HTML, named after a failed step, for the person debugging it. */
	async failure(page: Page, name: string): Promise<void> {
		const base = `failed-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
		await page.screenshot({ path: path.join(this.dir, `${base}.png`) as `${string}.png` });
		writeFileSync(path.join(this.dir, `${base}.html`), await page.content());
	}
}

/**
 * Waits for the first visible element matching `selector` whose text contains `text` (when given),
 * and returns it. n8n keeps hidden copies of popups in the page, so the first match of a selector is
 * often not the one on screen. Visible: it has a size and is not `visibility: hidden` (the same
 * test as in visibleTexts; page functions cannot share a helper).
 */
export async function visible(
	page: Page,
	selector: string,
	text?: string,
	timeout?: number,
): Promise<ElementHandle<Element>> {
	const handle = await page.waitForFunction(
		(sel: string, wanted: string | null) =>
			[...document.querySelectorAll(sel)].find((element) => {
				const box = element.getBoundingClientRect();
				return (
					box.width > 0 &&
					box.height > 0 &&
					getComputedStyle(element).visibility !== 'hidden' &&
					(wanted === null || (element.textContent ?? '').includes(wanted))
				);
			}) ?? null,
		{ timeout },
		selector,
		text ?? null,
	);
	const element = handle.asElement();
	if (!element) throw new Error(`no visible ${selector}`);
	return element as ElementHandle<Element>;
}

/** The text of every visible element matching `selector`, in page order. */
export async function visibleTexts(page: Page, selector: string): Promise<string[]> {
	return await page.$$eval(selector, (elements) =>
		elements
			.filter((element) => {
				const box = element.getBoundingClientRect();
				return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== 'hidden';
			})
			.map((element) => (element.textContent ?? '').trim()),
	);
}

/** Waits until the visible text of `selector` (the whole page by default) contains `text`. */
export async function waitForText(
	page: Page,
	text: string,
	selector = 'body',
	timeout?: number,
): Promise<void> {
	await page.waitForFunction(
		(sel: string, wanted: string) =>
			[...document.querySelectorAll<HTMLElement>(sel)].some((element) =>
				element.innerText.includes(wanted),
			),
		{ timeout },
		selector,
		text,
	);
}
