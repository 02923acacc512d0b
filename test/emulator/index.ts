/** Public surface of the ApsaraMQ OpenAPI emulator (see README.md). */
export { createEmulator } from './emulator';
export type { Emulator, EmulatorOptions, ResetOptions } from './emulator';
export { FAULT_KINDS, defaultKnobs } from './knobs';
export type { FaultKind, Knobs, KnobsPatch } from './knobs';
export type { ApiCounters, CallFilter, CallRecord, MqttDelivery, OnsDelivery } from './records';
export { defaultSeed, loadSeedFile, parseSeed, DEFAULT_ACCOUNT_ID } from './seed';
export type { AccessKey, Consumer, Seed, SeedInput, StoredMessage } from './seed';
export { APIS, PRODUCTS } from './apis';
