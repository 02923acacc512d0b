import { ensureN8n } from './harness/install';

/** Jest globalSetup for the e2e suite: install (or find) n8n 2.41.1 and Node.js 24 once. */
export default async function globalSetup(): Promise<void> {
	const started = Date.now();
	const install = await ensureN8n();
	console.log(
		`\n[e2e] n8n ${install.n8nVersion} on Node.js ${install.nodeVersion} in ${install.dir} (ready in ${Date.now() - started} ms)`,
	);
}
