// The real-n8n e2e harness: install (cached) n8n 2.41.1 on Node 24, run isolated instances, import,
// execute, serve webhooks, drive the REST API, measure memory. See test/e2e/README.md.
export * from './install';
export * from './instance';
export * from './rss';
export * from './workflow';
export * from './dummy-package';
export * from './local-server';
