/**
 * The questions the connection flows ask, as a plain interface (no `vscode` here, so the flows are
 * unit-testable). prompter.ts holds the QuickPick/InputBox implementation; a scripted setup can supply
 * its own answers through the exported API.
 */

/** Returned by a prompt when the user pressed the Back button of a multi-step flow. */
// Registered (Symbol.for) so a prompter compiled separately (another bundle, a test) returns the same value.
export const BACK: unique symbol = Symbol.for('genesysCloud.prompt.back');
export type Back = typeof BACK;

/** Where a prompt sits in a multi-step flow, for its title and "2/5" counter. */
export interface PromptStep {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
}

export interface PickOption<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  /** A codicon id such as `cloud`; shown before the label. */
  readonly icon?: string;
  /** Pre-selected when the pick opens (e.g. the previous answer after Back). */
  readonly picked?: boolean;
  readonly value: T;
}

export interface InputOptions {
  readonly prompt: string;
  readonly value?: string;
  readonly placeholder?: string;
  readonly password?: boolean;
  /** Returns a message while the value is not acceptable; the prompt stays open until it is. */
  readonly validate?: (value: string) => string | undefined;
}

/**
 * `undefined` means the user cancelled (Escape or focus lost); BACK means the Back button.
 * Implementations must apply `validate` before accepting an input.
 */
export interface Prompter {
  pick<T>(step: PromptStep | undefined, placeholder: string, options: readonly PickOption<T>[]): Promise<T | Back | undefined>;
  input(step: PromptStep | undefined, options: InputOptions): Promise<string | Back | undefined>;
  /** A modal question; resolves true only when `action` was chosen. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
}
