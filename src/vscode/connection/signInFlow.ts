import type { Prompter, PromptStep } from './prompts';
import { BACK } from './prompts';
import type { SavedConnection, SignInAnswers } from './savedConnections';
import {
  parseSandboxUrl,
  regionPickLabel,
  regionsForPicker,
  validateClientId,
  validateClientSecret,
  validateConnectionName,
  validateSandboxUrl,
} from './signInValidation';

export const SIGN_IN_TITLE = 'Sign In to Genesys Cloud';
export const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:8787';

/** Previous answers, to pre-fill the flow when the user retries after a failed check (never the secret). */
export type SignInDefaults = Partial<Omit<SignInAnswers, 'clientSecret'>>;

type Target = SignInAnswers['target'];
type Draft = { -readonly [K in keyof SignInAnswers]?: SignInAnswers[K] };

interface FlowStep {
  /** Skipped for this draft (the sandbox URL step when a region was picked). */
  skip?: (draft: Draft) => boolean;
  /** Asks; true to go on, BACK to go back, undefined when cancelled. */
  ask: (step: PromptStep, draft: Draft) => Promise<true | typeof BACK | undefined>;
}

/**
 * The guided sign-in: name → region (or a sandbox URL) → client ID → client secret → production?
 * Back returns to the previous question with its answer kept; Escape cancels and returns undefined.
 * Nothing is stored here; the caller checks the connection and persists it.
 */
export async function runSignInFlow(prompter: Prompter, existing: readonly SavedConnection[], defaults: SignInDefaults = {}): Promise<SignInAnswers | undefined> {
  const draft: Draft = { ...defaults };
  const steps: FlowStep[] = [
    {
      ask: async (step, d) => {
        const name = await prompter.input(step, {
          prompt: 'A name for this connection, shown in the status bar and the switcher',
          placeholder: 'Acme production',
          value: d.name ?? '',
          validate: (v) => validateConnectionName(v, existing),
        });
        return settle(name, (v) => (d.name = v.trim()));
      },
    },
    {
      ask: async (step, d) => {
        const picked = await prompter.pick<Target | 'sandboxUrl'>(step, 'The region (environment) your org lives in', [
          ...regionsForPicker().map((r) => ({
            label: regionPickLabel(r),
            value: { kind: 'region' as const, host: r.host },
            picked: d.target?.kind === 'region' && d.target.host === r.host,
          })),
          {
            label: 'Sandbox at a URL…',
            description: 'a standalone `npm run sandbox`',
            icon: 'beaker',
            value: 'sandboxUrl' as const,
            picked: d.target?.kind === 'sandboxUrl',
          },
        ]);
        return settle(picked, (v) => {
          if (v === 'sandboxUrl') {
            d.target = { kind: 'sandboxUrl', url: d.target?.kind === 'sandboxUrl' ? d.target.url : '' };
          } else {
            d.target = v;
          }
        });
      },
    },
    {
      skip: (d) => d.target?.kind !== 'sandboxUrl',
      ask: async (step, d) => {
        const url = await prompter.input(step, {
          prompt: 'URL of the running sandbox (printed by `npm run sandbox`)',
          value: d.target?.kind === 'sandboxUrl' && d.target.url ? d.target.url : DEFAULT_SANDBOX_URL,
          placeholder: DEFAULT_SANDBOX_URL,
          validate: validateSandboxUrl,
        });
        return settle(url, (v) => {
          const parsed = parseSandboxUrl(v);
          d.target = { kind: 'sandboxUrl', url: 'url' in parsed ? parsed.url : v };
        });
      },
    },
    {
      ask: async (step, d) => {
        const kind = d.target?.kind ?? 'region';
        const id = await prompter.input(step, {
          prompt: 'Client ID of an OAuth client with the Client Credentials grant',
          placeholder: kind === 'region' ? '0a1b2c3d-1234-5678-9abc-0123456789ab' : 'sandbox-client',
          value: d.clientId ?? '',
          validate: (v) => validateClientId(v, kind),
        });
        return settle(id, (v) => (d.clientId = v.trim()));
      },
    },
    {
      ask: async (step, d) => {
        const secret = await prompter.input(step, {
          prompt: 'Client secret (kept in the OS keychain through VS Code SecretStorage, never in settings)',
          password: true,
          validate: validateClientSecret,
        });
        return settle(secret, (v) => (d.clientSecret = v));
      },
    },
    {
      ask: async (step, d) => {
        const production = await prompter.pick<boolean>(step, 'Is this a production org?', [
          { label: 'No', description: 'a test or development org: runs start right away', value: false, picked: d.production !== true },
          { label: 'Yes, production', description: 'ask before each query or job runs on it', icon: 'shield', value: true, picked: d.production === true },
        ]);
        return settle(production, (v) => (d.production = v));
      },
    },
  ];

  let index = 0;
  while (index < steps.length) {
    const active = steps.filter((s) => !s.skip?.(draft));
    const position = active.indexOf(steps[index]);
    const result = await steps[index].ask({ title: SIGN_IN_TITLE, step: position + 1, totalSteps: active.length }, draft);
    if (result === undefined) {
      return undefined;
    }
    if (result === BACK) {
      index = previous(steps, index, draft);
    } else {
      index = next(steps, index, draft);
    }
  }
  if (draft.name === undefined || draft.target === undefined || draft.clientId === undefined || draft.clientSecret === undefined) {
    return undefined;
  }
  return { name: draft.name, target: draft.target, clientId: draft.clientId, clientSecret: draft.clientSecret, production: draft.production ?? false };
}

function settle<T>(answer: T | typeof BACK | undefined, apply: (value: T) => void): true | typeof BACK | undefined {
  if (answer === undefined) {
    return undefined;
  }
  if (answer === BACK) {
    return BACK;
  }
  apply(answer);
  return true;
}

function next(steps: readonly FlowStep[], index: number, draft: Draft): number {
  let i = index + 1;
  while (i < steps.length && steps[i].skip?.(draft)) {
    i++;
  }
  return i;
}

function previous(steps: readonly FlowStep[], index: number, draft: Draft): number {
  let i = index - 1;
  while (i > 0 && steps[i].skip?.(draft)) {
    i--;
  }
  return Math.max(0, i);
}
