/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// What a person does in n8n 2.41's editor, found by dumping the page: the editor marks what matters
// with data-test-id attributes (canvas-node, ndv, resource-locator-<parameter>, rlc-item,
// editCredential-modal, …). Every step waits for what the page shows, never for a fixed time.
import type { HTTPResponse, Page } from 'puppeteer-core';

import { visible, visibleTexts, waitForText } from './browser';

const canvasNode = (name: string) => `[data-test-id="canvas-node"][data-node-name="${name}"]`;
const locator = (parameter: string) => `[data-test-id="resource-locator-${parameter}"]`;
const LIST_ENTRY = '[data-test-id="rlc-item"]';
const CREDENTIAL_MODAL = '[data-test-id="editCredential-modal"]';
const SAVE_CREDENTIAL = '[data-test-id="credential-save-button"]';
const TEST_SUCCEEDED = '[data-test-id="credentials-config-container-test-success"]';
/** The editor's words (with its typographic apostrophe) when a credential test fails. */
export const CREDENTIAL_TEST_FAILED = 'Couldn’t connect with these settings';

export class Editor {
	constructor(
		readonly page: Page,
		readonly baseUrl: string,
	) {}

	async login(email: string, password: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/signin`, { waitUntil: 'domcontentloaded' });
		await visible(this.page, '#emailOrLdapLoginId');
		await this.page.type('#emailOrLdapLoginId', email);
		await this.page.type('#password', password);
		await this.page.click('[data-test-id="form-submit-button"]');
		await this.page.waitForFunction(() => !location.pathname.startsWith('/signin'));
	}

	/** Opens a workflow and waits until every node in `nodeNames` is on the canvas. */
	async openWorkflow(id: string, nodeNames: readonly string[]): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/${id}`, { waitUntil: 'domcontentloaded' });
		for (const name of nodeNames) await visible(this.page, canvasNode(name));
	}

	async canvasNodeNames(): Promise<string[]> {
		return await this.page.$$eval('[data-test-id="canvas-node"]', (nodes) =>
			nodes.map((node) => node.getAttribute('data-node-name') ?? ''),
		);
	}

	/** Opens a node's details view (a double click on the canvas node). */
	async openNode(name: string): Promise<void> {
		await (await visible(this.page, canvasNode(name))).click({ count: 2 });
		await visible(this.page, '[data-test-id="ndv"]');
	}

	async closeNode(): Promise<void> {
		await (await visible(this.page, '[data-test-id="ndv-close-button"]')).click();
		await this.page.waitForSelector('[data-test-id="ndv"]', { hidden: true });
	}

	/**
	 * Puts a resource locator in "From list" mode (turning an expression into a fixed value first)
	 * and opens its list.
	 */
	async openList(parameter: string): Promise<void> {
		const field = locator(parameter);
		if (await this.page.$(`${field} [data-test-id="inline-expression-editor-input"]`)) {
			await this.page.hover(field);
			const toggle = `[data-test-id="${parameter}-parameter-input-options-container"] [data-test-id="radio-button-fixed"]`;
			await (await visible(this.page, toggle)).click();
			await this.page.waitForSelector(`${field} [data-test-id="inline-expression-editor-input"]`, {
				hidden: true,
			});
		}
		await this.switchMode(parameter, 'list');
		await (await visible(this.page, `${field} [data-test-id="rlc-input"]`)).click();
	}

	/** Switches a resource locator between "From list" and "By ID". */
	async switchMode(parameter: string, mode: 'list' | 'id'): Promise<void> {
		const selector = `${locator(parameter)} [data-test-id="rlc-mode-selector"]`;
		const label = mode === 'list' ? 'From list' : 'By ID';
		if ((await this.page.$eval(`${selector} input`, (input) => input.value)) === label) return;
		await (await visible(this.page, selector)).click();
		await (await visible(this.page, `[data-test-id="mode-${mode}"]`)).click();
		await this.page.waitForFunction(
			(sel: string, wanted: string) =>
				document.querySelector<HTMLInputElement>(sel)?.value === wanted,
			{},
			`${selector} input`,
			label,
		);
	}

	/**
	 * Waits until the open list shows exactly the entries `expected` (in any order: the chosen entry
	 * comes first, and alone while the list loads) and returns them as shown.
	 */
	async waitForEntries(expected: readonly string[]): Promise<string[]> {
		const wanted = [...expected].sort();
		await this.page
			.waitForFunction(
				(entry: string, names: string[]) => {
					const shown = [...document.querySelectorAll(entry)]
						.filter((element) => element.getBoundingClientRect().height > 0)
						.map((element) => (element.textContent ?? '').trim())
						.sort();
					return JSON.stringify(shown) === JSON.stringify(names);
				},
				{},
				LIST_ENTRY,
				wanted,
			)
			.catch(async (error: unknown) => {
				const shown = await visibleTexts(this.page, LIST_ENTRY);
				throw new Error(
					`the list shows ${JSON.stringify(shown)}, expected ${JSON.stringify(wanted)}: ${String(error)}`,
				);
			});
		return await visibleTexts(this.page, LIST_ENTRY);
	}

	/** The visible entries of the open list whose name the editor cuts off (text wider than its box). */
	async entriesCutOff(): Promise<string[]> {
		return await this.page.$$eval(LIST_ENTRY, (entries) =>
			entries
				.filter((entry) => entry.getBoundingClientRect().height > 0)
				.map((entry) => entry.querySelector('span'))
				.filter(
					(name): name is HTMLSpanElement => name !== null && name.scrollWidth > name.clientWidth,
				)
				.map((name) => name.textContent ?? ''),
		);
	}

	/** Clicks the entry of the open list whose text contains `text`; waits for the list to close. */
	async choose(text: string): Promise<void> {
		await (await visible(this.page, LIST_ENTRY, text)).click();
		await this.page.waitForFunction(
			(entry: string) =>
				![...document.querySelectorAll(entry)].some(
					(element) => element.getBoundingClientRect().height > 0,
				),
			{},
			LIST_ENTRY,
		);
	}

	/** The message the open list shows instead of entries when loading them failed. */
	async listError(): Promise<string> {
		const message = await visible(this.page, '[data-test-id="rlc-error-message"]');
		return (await message.evaluate((element) => (element as HTMLElement).innerText)).trim();
	}

	/**
	 * Closes an open list by clicking outside it (the list ignores Escape while it shows an error),
	 * on the input panel's header, and waits until nothing of it is visible.
	 */
	async closeList(): Promise<void> {
		const box = await (await visible(this.page, '[data-test-id="ndv-input-panel"]')).boundingBox();
		if (!box) throw new Error('the input panel has no box');
		await this.page.mouse.click(box.x + 20, box.y + 20);
		await this.page.waitForFunction(
			() =>
				![
					...document.querySelectorAll(
						'[data-test-id="rlc-item"], [data-test-id="rlc-error-container"]',
					),
				].some((element) => element.getBoundingClientRect().height > 0),
		);
	}

	/** What a resource locator's field shows, and whether the editor cuts it off. */
	async field(parameter: string): Promise<{ text: string; cutOff: boolean }> {
		return await this.page.$eval(`${locator(parameter)} [data-test-id="rlc-input"]`, (input) => ({
			text: (input as HTMLInputElement).value,
			cutOff: input.scrollWidth > input.clientWidth,
		}));
	}

	// ---- credentials

	/** Opens the node's credential (the pencil next to it) in its modal. */
	async openCredential(): Promise<void> {
		await (await visible(this.page, '[data-test-id="credential-edit-button"]')).click();
		await visible(this.page, CREDENTIAL_MODAL);
	}

	async retryCredentialTest(): Promise<void> {
		await (
			await visible(this.page, `${CREDENTIAL_MODAL} button[title="Retry credential test"]`)
		).click();
	}

	/** Replaces a credential field's value, and waits until the modal offers to save it. */
	async setCredentialField(name: string, value: string): Promise<void> {
		const input = await visible(
			this.page,
			`${CREDENTIAL_MODAL} [data-test-id="parameter-input-${name}"] input`,
		);
		await input.click();
		await this.page.keyboard.down('Control');
		await this.page.keyboard.press('a');
		await this.page.keyboard.up('Control');
		// One input event for the whole value: the field reports it after a debounce, and a slow
		// machine would otherwise report (and let us save) a part of it.
		await this.page.keyboard.sendCharacter(value);
		await visible(this.page, `${SAVE_CREDENTIAL} button:not([disabled])`);
	}

	/** Saves the credential; n8n then tests it. Waits until the modal says "Saved". */
	async saveCredential(): Promise<void> {
		await (await visible(this.page, `${SAVE_CREDENTIAL} button:not([disabled])`)).click();
		await waitForText(this.page, 'Saved', SAVE_CREDENTIAL);
	}

	/** Waits for the success banner of the credential test, with no failure shown. */
	async credentialTestSucceeded(): Promise<string> {
		const banner = await visible(this.page, TEST_SUCCEEDED);
		await this.page.waitForFunction(
			(modal: string, failed: string) =>
				!(document.querySelector<HTMLElement>(modal)?.innerText ?? '').includes(failed),
			{},
			CREDENTIAL_MODAL,
			CREDENTIAL_TEST_FAILED,
		);
		return (await banner.evaluate((element) => (element as HTMLElement).innerText)).trim();
	}

	/** Waits for the failed credential test, opens its "More details", and returns the banner's text. */
	async credentialTestFailure(): Promise<string> {
		await waitForText(this.page, CREDENTIAL_TEST_FAILED, CREDENTIAL_MODAL);
		await (await visible(this.page, `${CREDENTIAL_MODAL} a span`, 'More details')).click();
		const banner = await visible(
			this.page,
			`${CREDENTIAL_MODAL} .el-tag--danger`,
			CREDENTIAL_TEST_FAILED,
		);
		await this.page.waitForFunction(
			(element: Element) => !(element as HTMLElement).innerText.includes('More details'),
			{},
			banner,
		);
		return (await banner.evaluate((element) => (element as HTMLElement).innerText)).trim();
	}

	async closeCredential(): Promise<void> {
		await (
			await visible(this.page, `${CREDENTIAL_MODAL} button[aria-label="Close this dialog"]`)
		).click();
		await this.page.waitForSelector(CREDENTIAL_MODAL, { hidden: true });
	}

	// ---- executions

	/**
	 * Clicks "Execute workflow" and waits for n8n's answer to starting the run. For a webhook
	 * trigger that answer comes once the test webhook listens: `{ waitingForWebhook: true }`.
	 */
	async executeWorkflow(): Promise<Record<string, unknown>> {
		const started = this.page.waitForResponse(
			(response: HTTPResponse) =>
				response.request().method() === 'POST' &&
				/\/rest\/workflows\/[^/]+\/run$/.test(response.url()),
		);
		await (await visible(this.page, '[data-test-id="execute-workflow-button"]')).click();
		const response = await started;
		if (!response.ok())
			throw new Error(`starting the run answered ${response.status()}: ${await response.text()}`);
		return ((await response.json()) as { data: Record<string, unknown> }).data;
	}

	/** Waits for the green mark of a node that ran without error. */
	async waitForNodeSuccess(name: string): Promise<void> {
		await visible(this.page, `${canvasNode(name)} [data-test-id="canvas-node-status-success"]`);
	}

	/** The item counts on the canvas's connections ("3 items"). */
	async edgeLabels(): Promise<string[]> {
		return await visibleTexts(this.page, '[data-test-id="edge-label"]');
	}

	/**
	 * The visible text of the open node's output panel once it shows data: of one branch (the tab
	 * whose label contains `branch`) when the node has an error output, as a table or as JSON.
	 */
	async outputText(options: { branch?: string; view?: 'table' | 'json' } = {}): Promise<string> {
		const panel = '[data-test-id="output-panel"]';
		if (options.branch) {
			const tab = `${panel} [data-test-id="branches"] [data-test-id^="tab-"]`;
			await (await visible(this.page, tab, options.branch)).click();
		}
		if (options.view) {
			await (
				await visible(this.page, `${panel} [data-test-id="radio-button-${options.view}"]`)
			).click();
		}
		await visible(this.page, `${panel} [data-test-id="ndv-data-container"]`);
		const shown = await visible(this.page, panel);
		return await shown.evaluate((element) => (element as HTMLElement).innerText);
	}
}
