/**
 * The sandbox: a local emulator of the Genesys Cloud conversation-detail analytics API
 * (shared/genesys-api.md §9). Used in-process by the extension's "sandbox org", standalone via
 * `npm run sandbox`, and as the backend of every test and benchmark. vscode-free by design.
 */
export type { DeepPartial, SandboxFaults, SandboxOptions } from './options';
export { defaultOptions } from './options';
export type { Sandbox, SandboxStats } from './server';
export { startSandbox } from './server';
export { parseSandboxArgs, usage, UsageError } from './args';
export { XSS_CORPUS, isHostileConversation } from './generator/xssCorpus';
