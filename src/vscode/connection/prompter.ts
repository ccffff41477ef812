import * as vscode from 'vscode';
import type { Back, InputOptions, PickOption, Prompter, PromptStep } from './prompts';
import { BACK } from './prompts';

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
    const picked = qp.items.filter((_, i) => options[i].picked === true);
    if (picked.length > 0) {
      qp.activeItems = picked;
    }
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

// One holder per extension host rather than a dependency passed around: confirmRun(info, what) is called by
// the run commands with no connection deps at hand, and the prompter is swapped only through the exported API.
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
