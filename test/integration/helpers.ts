import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';
import type { GenesysCloudApi } from '../../src/vscode/api';

export interface ManifestCommand {
  command: string;
  title: string;
  category: string;
}

export interface ManifestSetting {
  type: string;
  default: unknown;
}

/** The manifest as VS Code loaded it (not the file on disk), so tests see what the workbench sees. */
export interface LoadedManifest {
  activationEvents?: string[];
  contributes: {
    commands: ManifestCommand[];
    viewsContainers: { activitybar: { id: string }[] };
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, ManifestSetting> };
  };
}

export function extension(): vscode.Extension<GenesysCloudApi> {
  const ext = vscode.extensions.getExtension<GenesysCloudApi>(EXTENSION_ID);
  if (!ext) {
    throw new Error(`Extension ${EXTENSION_ID} is not installed in this VS Code`);
  }
  return ext;
}

export function manifest(): LoadedManifest {
  return extension().packageJSON as LoadedManifest;
}

export async function api(): Promise<GenesysCloudApi> {
  return extension().activate();
}

/** Polls until `probe` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves with the next event, or rejects after `timeoutMs`. */
export function nextEvent<T>(event: vscode.Event<T>, what: string, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event((value) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
  });
}
