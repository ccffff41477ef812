import * as vscode from 'vscode';

/** Returned by a prompt when the user pressed the Back button of a multi-step flow. */
export const BACK = Symbol('back');
export type Back = typeof BACK;

/** Where a prompt sits in a multi-step flow, for its title ("Sign In to Genesys Cloud (2/5)"). */
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
 * Every question the connection flows ask. The product uses the QuickPick/InputBox/modal implementation
 * below; a scripted setup (or the integration tests) can supply its own answers through the exported
 * API, so the real commands run end to end without a human at the keyboard.
 * `undefined` means the user cancelled (Escape); BACK means the Back button.
 */
export interface Prompter {
  pick<T>(step: PromptStep | undefined, placeholder: string, options: readonly PickOption<T>[]): Promise<T | Back | undefined>;
  input(step: PromptStep | undefined, options: InputOptions): Promise<string | Back | undefined>;
  /** A modal yes/no; resolves true only when `action` was chosen. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
}

/** The interactive implementation: a QuickPick or InputBox with title, step, Back button and validation. */
export const vscodePrompter: Prompter = {
  pick<T>(step: PromptStep | undefined, placeholder: string, options: readonly PickOption<T>[]): Promise<T | Back | undefined> {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
    applyStep(qp, step);
    qp.placeholder = placeholder;
    qp.matchOnDescription = true;
    qp.items = options.map((o) => ({
      label: o.icon ? `$(${o.icon}) ${o.label}` : o.label,
      description: o.description,
      detail: o.detail,
      value: o.value,
    }));
    return run(qp, (resolve) => [
      qp.onDidAccept(() => {
        const chosen = qp.selectedItems[0];
        if (chosen) {
          resolve(chosen.value);
        }
      }),
    ]);
  },

  input(step: PromptStep | undefined, options: InputOptions): Promise<string | Back | undefined> {
    const box = vscode.window.createInputBox();
    applyStep(box, step);
    box.prompt = options.prompt;
    box.value = options.value ?? '';
    box.placeholder = options.placeholder;
    box.password = options.password ?? false;
    box.ignoreFocusOut = true;
    const check = (value: string): string | undefined => options.validate?.(value);
    return run(box, (resolve) => [
      box.onDidChangeValue((value) => {
        box.validationMessage = value === '' ? undefined : check(value);
      }),
      box.onDidAccept(() => {
        const problem = check(box.value);
        box.validationMessage = problem;
        if (problem === undefined) {
          resolve(box.value);
        }
      }),
    ]);
  },

  async confirm(message: string, detail: string, action: string): Promise<boolean> {
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
    return choice === action;
  },
};

function applyStep(input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[] }, step: PromptStep | undefined): void {
  if (!step) {
    return;
  }
  input.title = step.title;
  input.step = step.step;
  input.totalSteps = step.totalSteps;
  input.buttons = step.step > 1 ? [vscode.QuickInputButtons.Back] : [];
}

/** Shows the input and settles once: accepted value, BACK, or undefined on hide. */
function run<R>(
  input: vscode.QuickPick<vscode.QuickPickItem & { value: unknown }> | vscode.InputBox,
  listen: (resolve: (value: R) => void) => vscode.Disposable[],
): Promise<R | Back | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const subscriptions: vscode.Disposable[] = [];
    const settle = (value: R | Back | undefined): void => {
      if (settled) {
        return;
      }
      settled = true;
      for (const s of subscriptions) {
        s.dispose();
      }
      input.dispose();
      resolve(value);
    };
    subscriptions.push(
      ...listen((value) => settle(value)),
      input.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) {
          settle(BACK);
        }
      }),
      input.onDidHide(() => settle(undefined)),
    );
    input.show();
  });
}

let active: Prompter = vscodePrompter;

/** The prompter the connection commands and the run guard use now. */
export function currentPrompter(): Prompter {
  return active;
}

/** Replaces the prompter (scripted setups); disposing the result restores the previous one. */
export function usePrompter(prompter: Prompter): vscode.Disposable {
  const previous = active;
  active = prompter;
  return new vscode.Disposable(() => {
    if (active === prompter) {
      active = previous;
    }
  });
}
