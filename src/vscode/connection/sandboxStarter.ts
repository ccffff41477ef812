import type * as vscode from 'vscode';
import { defaultOptions, startSandbox } from '../../sandbox';
import type { RunningSandbox, SandboxStarter } from './connectionManager';

/** The built-in sandbox org, started in the extension host on a free loopback port; its request log goes to trace. */
export function createSandboxStarter(log: vscode.LogOutputChannel): SandboxStarter {
  return async (): Promise<RunningSandbox> => startSandbox({ port: 0, log: (line) => log.trace(`[sandbox] ${line}`) });
}

/** Credentials of the sandbox org (the emulator's defaults; documented in the README, not secrets). */
export function sandboxCredentials(): { clientId: string; clientSecret: string } {
  const { clientId, clientSecret } = defaultOptions();
  return { clientId, clientSecret };
}
