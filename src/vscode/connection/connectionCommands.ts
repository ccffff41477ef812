import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { classifyError } from '../../genesys/errors';
import type { ConnectionDeps, ConnectionOutcome } from './connectionDeps';
import type { PickOption } from './prompts';
import { BACK } from './prompts';
import type { SavedConnection } from './savedConnections';
import { toGenesysConnection, whereLabel } from './savedConnections';
import { signIn } from './signInCommand';
import { describeSignInFailure } from './signInMessages';

/** Registers Sign In, Sign Out, Switch Connection, Set Production and Disconnect; each resolves with its outcome. */
export function registerConnectionCommands(deps: ConnectionDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.signIn, () => signIn(deps)),
    vscode.commands.registerCommand(Commands.signOut, (id?: unknown) => signOut(deps, typeof id === 'string' ? id : undefined)),
    vscode.commands.registerCommand(Commands.switchConnection, () => switchConnection(deps)),
    vscode.commands.registerCommand(Commands.setProduction, (id?: unknown) => setProduction(deps, typeof id === 'string' ? id : undefined)),
    vscode.commands.registerCommand(Commands.disconnect, () => disconnect(deps)),
  ];
}

type SwitchChoice =
  | { kind: 'saved'; id: string }
  | { kind: 'sandbox' }
  | { kind: 'signIn' }
  | { kind: 'production' }
  | { kind: 'signOut' }
  | { kind: 'disconnect' };

/** The switcher (also the status bar item's click): saved connections, the sandbox, sign in, and housekeeping. */
export async function switchConnection(deps: ConnectionDeps): Promise<ConnectionOutcome> {
  const current = deps.connections.current;
  const saved = deps.saved.list();
  const options: PickOption<SwitchChoice>[] = [
    ...saved.map((c) => ({ ...savedOption(c, current?.id), value: { kind: 'saved' as const, id: c.id } })),
    {
      label: vscode.l10n.t('Try the Sandbox'),
      description: current?.kind === 'sandbox' ? vscode.l10n.t('connected') : vscode.l10n.t('built-in emulator, no credentials'),
      icon: current?.kind === 'sandbox' ? 'check' : 'beaker',
      value: { kind: 'sandbox' },
    },
    { label: vscode.l10n.t('Sign In…'), description: vscode.l10n.t('add a connection to an org'), icon: 'sign-in', value: { kind: 'signIn' } },
  ];
  if (saved.length > 0) {
    options.push(
      { label: vscode.l10n.t('Mark as Production…'), description: vscode.l10n.t('ask before runs on a connection'), icon: 'shield', value: { kind: 'production' } },
      { label: vscode.l10n.t('Sign Out…'), description: vscode.l10n.t('forget a connection and its secret'), icon: 'sign-out', value: { kind: 'signOut' } },
    );
  }
  if (current) {
    options.push({ label: vscode.l10n.t('Disconnect'), description: current.label, icon: 'debug-disconnect', value: { kind: 'disconnect' } });
  }
  const choice = await deps.prompter().pick<SwitchChoice>(undefined, vscode.l10n.t('Switch the Genesys Cloud connection of this window'), options);
  if (choice === undefined || choice === BACK) {
    return { status: 'cancelled' };
  }
  switch (choice.kind) {
    case 'saved':
      return activateSaved(deps, choice.id);
    case 'sandbox': {
      const info = await vscode.commands.executeCommand<unknown>(Commands.connectSandbox);
      const connection = deps.connections.current;
      return info && connection?.kind === 'sandbox'
        ? { status: 'connected', connection, message: vscode.l10n.t('Connected to {0} at {1}', connection.org.orgName, connection.url) }
        : { status: 'failed', message: vscode.l10n.t('Could not connect to the sandbox (see the log).') };
    }
    case 'signIn':
      return signIn(deps);
    case 'production':
      return setProduction(deps);
    case 'signOut':
      return signOut(deps);
    case 'disconnect':
      return disconnect(deps);
  }
}

/** Makes a saved connection active with its stored secret; a missing secret offers to sign in again. */
export async function activateSaved(deps: ConnectionDeps, id: string): Promise<ConnectionOutcome> {
  const saved = deps.saved.get(id);
  if (!saved) {
    return { status: 'failed', message: vscode.l10n.t('That connection no longer exists (signed out in another window?).') };
  }
  if (deps.connections.current?.id === id) {
    const connection = deps.connections.current;
    return { status: 'connected', connection, message: vscode.l10n.t('Already connected to {0}', saved.name) };
  }
  const secret = await deps.secrets.getClientSecret(id);
  if (secret === undefined) {
    const message = vscode.l10n.t('The client secret of "{0}" is no longer stored (signed out elsewhere?). Sign in again.', saved.name);
    const again = vscode.l10n.t('Sign In');
    void vscode.window.showErrorMessage(message, again).then((pick) => {
      if (pick === again) {
        void deps.saved.remove(id).then(() => signIn(deps, { name: saved.name, ...targetOf(saved), clientId: saved.clientId, production: saved.production }));
      }
    });
    return { status: 'failed', message };
  }
  try {
    const connection = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Connecting to {0}…', saved.name) },
      () => deps.connections.connectOAuth({ connection: toGenesysConnection(saved), clientSecret: secret, production: saved.production }),
    );
    if (connection.org.orgName !== saved.org?.orgName || connection.org.clientName !== saved.org?.clientName) {
      await deps.saved.save({ ...saved, org: connection.org });
    }
    const message = vscode.l10n.t('Connected to {0} ({1})', connection.org.orgName, saved.name);
    void vscode.window.setStatusBarMessage(`$(check) ${message}`, 4000);
    return { status: 'connected', connection, message };
  } catch (err) {
    const message = describeSignInFailure(err, saved);
    deps.log.warn(message);
    void vscode.window.showErrorMessage(message);
    return { status: 'failed', message, errorKind: classifyError(err).kind };
  }
}

/** Forgets a connection: disconnects it if active, removes its metadata and its secret. */
export async function signOut(deps: ConnectionDeps, id?: string): Promise<ConnectionOutcome> {
  const target = id !== undefined ? deps.saved.get(id) : await pickSaved(deps, vscode.l10n.t('Sign out of which connection? Its secret is deleted.'));
  if (!target) {
    if (id !== undefined) {
      return { status: 'failed', message: vscode.l10n.t('No saved connection has the id {0}.', id) };
    }
    return { status: 'cancelled' };
  }
  await deps.connections.disconnect(target.id);
  await deps.saved.remove(target.id);
  await deps.secrets.deleteClientSecret(target.id);
  deps.savedChanged();
  const message = vscode.l10n.t('Signed out of {0}; its client secret was deleted.', target.name);
  deps.log.info(message);
  void vscode.window.showInformationMessage(message);
  return { status: 'signedOut', id: target.id, message };
}

/** Marks a saved connection production or not; runs on a production connection ask first. */
export async function setProduction(deps: ConnectionDeps, id?: string): Promise<ConnectionOutcome> {
  const target = id !== undefined ? deps.saved.get(id) : await pickSaved(deps, vscode.l10n.t('Mark which connection as production or not?'));
  if (!target) {
    return id !== undefined ? { status: 'failed', message: vscode.l10n.t('No saved connection has the id {0}.', id) } : { status: 'cancelled' };
  }
  const production = await deps.prompter().pick<boolean>(undefined, vscode.l10n.t('Is "{0}" a production org?', target.name), [
    { label: vscode.l10n.t('Yes, production'), description: vscode.l10n.t('ask before each query or job runs on it'), icon: 'shield', value: true, picked: target.production },
    { label: vscode.l10n.t('No'), description: vscode.l10n.t('runs start right away'), value: false, picked: !target.production },
  ]);
  if (production === undefined || production === BACK) {
    return { status: 'cancelled' };
  }
  await deps.saved.setProduction(target.id, production);
  deps.connections.updateCurrent(target.id, { production });
  const message = production
    ? vscode.l10n.t('"{0}" is marked production: runs on it ask for confirmation first.', target.name)
    : vscode.l10n.t('"{0}" is no longer marked production.', target.name);
  void vscode.window.showInformationMessage(message);
  return { status: 'updated', id: target.id, production, message };
}

async function disconnect(deps: ConnectionDeps): Promise<ConnectionOutcome> {
  const current = deps.connections.current;
  await deps.connections.disconnect();
  const message = current ? vscode.l10n.t('Disconnected from {0}.', current.label) : vscode.l10n.t('Not connected.');
  return { status: 'disconnected', message };
}

async function pickSaved(deps: ConnectionDeps, placeholder: string): Promise<SavedConnection | undefined> {
  const saved = deps.saved.list();
  if (saved.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No saved Genesys Cloud connections. Use "Genesys Cloud: Sign In" to add one.'));
    return undefined;
  }
  const current = deps.connections.current?.id;
  const id = await deps.prompter().pick<string>(undefined, placeholder, saved.map((c) => ({ ...savedOption(c, current), value: c.id })));
  return id === undefined || id === BACK ? undefined : deps.saved.get(id);
}

function savedOption(c: SavedConnection, activeId: string | undefined): Omit<PickOption<unknown>, 'value'> {
  const flags = [whereLabel(c), ...(c.production ? [vscode.l10n.t('production')] : []), ...(c.id === activeId ? [vscode.l10n.t('connected')] : [])];
  return {
    label: c.name,
    description: flags.join(' · '),
    detail: c.org ? vscode.l10n.t('{0} as {1}', c.org.orgName, c.org.clientName ?? c.clientId) : c.clientId,
    icon: c.id === activeId ? 'check' : c.production ? 'shield' : 'cloud',
  };
}

function targetOf(saved: SavedConnection): { target: { kind: 'region'; host: string } | { kind: 'sandboxUrl'; url: string } } {
  return saved.sandboxUrl !== undefined ? { target: { kind: 'sandboxUrl', url: saved.sandboxUrl } } : { target: { kind: 'region', host: saved.region ?? '' } };
}
