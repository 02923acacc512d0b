import { config } from '@n8n/node-cli/eslint';

// n8n's own community-node lint config, as `n8n-node lint` and the verification scanner apply it,
// plus one relaxation: tests, the emulator and the benchmark are tooling that never ships, so they
// may use Node built-ins, timers, `process` and child processes (the scanner never reads test/).
export default [
	...config,
	{
		files: ['test/**/*.ts'],
		rules: {
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/no-hardcoded-secrets': 'off',
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			'no-console': 'off',
		},
	},
];
