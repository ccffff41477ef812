import type { Back, InputOptions, PickOption, Prompter, PromptStep } from '../../src/vscode/connection/prompts';
import { BACK } from '../../src/vscode/connection/prompts';

/** One scripted answer, consumed in order by whichever prompt comes next. */
export type ScriptedAnswer =
  | { readonly pick: string | RegExp }
  | { readonly input: string }
  | { readonly confirm: boolean }
  | 'back'
  | 'cancel';

export interface AskedPrompt {
  readonly type: 'pick' | 'input' | 'confirm';
  readonly step?: PromptStep;
  readonly text: string;
  readonly labels?: readonly string[];
  /** Labels of the options shown pre-selected (a pick). */
  readonly picked?: readonly string[];
  /** The pre-filled value (an input). */
  readonly value?: string;
  readonly password?: boolean;
}

/**
 * Answers the connection flows' questions from a script, as a user would: an input answer that fails
 * the prompt's validation is recorded in `rejected` and the next answer is typed into the same box.
 * When the script runs out, prompts are cancelled (and `exhausted` set).
 */
export class ScriptedPrompter implements Prompter {
  readonly asked: AskedPrompt[] = [];
  readonly rejected: { value: string; message: string }[] = [];
  exhausted = false;
  private readonly _script: ScriptedAnswer[];

  constructor(script: readonly ScriptedAnswer[]) {
    this._script = [...script];
  }

  get remaining(): number {
    return this._script.length;
  }

  pick<T>(step: PromptStep | undefined, placeholder: string, options: readonly PickOption<T>[]): Promise<T | Back | undefined> {
    const labels = options.map((o) => o.label);
    this.asked.push({ type: 'pick', step, text: placeholder, labels, picked: options.filter((o) => o.picked).map((o) => o.label) });
    const answer = this._next();
    if (answer === 'back' || answer === 'cancel' || answer === undefined) {
      return Promise.resolve(answer === 'back' ? BACK : undefined);
    }
    if (!('pick' in answer)) {
      throw new Error(`Script expected a pick for "${placeholder}" but has ${JSON.stringify(answer)}`);
    }
    const wanted = answer.pick;
    const found = options.find((o) => (typeof wanted === 'string' ? o.label === wanted : wanted.test(o.label)));
    if (!found) {
      throw new Error(`No option matches ${String(wanted)} in "${placeholder}": ${labels.join(' | ')}`);
    }
    return Promise.resolve(found.value);
  }

  input(step: PromptStep | undefined, options: InputOptions): Promise<string | Back | undefined> {
    this.asked.push({ type: 'input', step, text: options.prompt, value: options.value ?? '', password: options.password ?? false });
    for (;;) {
      const answer = this._next();
      if (answer === 'back' || answer === 'cancel' || answer === undefined) {
        return Promise.resolve(answer === 'back' ? BACK : undefined);
      }
      if (!('input' in answer)) {
        throw new Error(`Script expected an input for "${options.prompt}" but has ${JSON.stringify(answer)}`);
      }
      const problem = options.validate?.(answer.input);
      if (problem === undefined) {
        return Promise.resolve(answer.input);
      }
      this.rejected.push({ value: answer.input, message: problem });
    }
  }

  confirm(message: string, _detail: string, _action: string): Promise<boolean> {
    this.asked.push({ type: 'confirm', text: message });
    const answer = this._next();
    if (answer === undefined || answer === 'cancel' || answer === 'back') {
      return Promise.resolve(false);
    }
    if (!('confirm' in answer)) {
      throw new Error(`Script expected a confirmation for "${message}" but has ${JSON.stringify(answer)}`);
    }
    return Promise.resolve(answer.confirm);
  }

  private _next(): ScriptedAnswer | undefined {
    const answer = this._script.shift();
    if (answer === undefined) {
      this.exhausted = true;
    }
    return answer;
  }
}
