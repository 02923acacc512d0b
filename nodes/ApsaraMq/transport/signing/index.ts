/**
 * The pure Alibaba Cloud OpenAPI signer: no n8n imports, only `crypto`. One spec stage per file,
 * see docs/signing.md and docs/endpoints.md.
 */
export * from './constants';
export * from './errors';
export * from './percentEncode';
export * from './canonicalQuery';
export * from './canonicalHeaders';
export * from './formatTimestamp';
export * from './signV2';
export * from './signV3';
export * from './endpoint';
export * from './signRequest';
export * from './settings';
export * from './rpcRequest';
export * from './signMq';
export * from './mqRequestOptions';
