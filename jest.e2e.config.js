// The end-to-end suite: the built package inside a real n8n 2.41.1 (test/e2e/**/*.e2e.test.ts).
// The first run installs n8n 2.41.1 and Node.js 24 into a cache folder (about 3.5 min; see
// test/e2e/install-n8n.sh); later runs reuse it. Needs `npm run build` first.
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	// One n8n at a time: each costs about 400 MB and both cores while it starts.
	maxWorkers: 1,
	testTimeout: 10 * 60 * 1000,
	slowTestThreshold: 60,
	// Installs (or finds) n8n once, before any test file.
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
};
