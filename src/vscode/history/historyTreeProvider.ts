import * as vscode from 'vscode';

/**
 * Query History tree. Empty until runs are wired to the engine's HistoryStore (src/history); until then the
 * view shows its viewsWelcome content.
 */
export class HistoryTreeProvider implements vscode.TreeDataProvider<vscode.TreeItem>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  refresh(): void {
    this._onDidChangeTreeData.fire();
  }

  getTreeItem(element: vscode.TreeItem): vscode.TreeItem {
    return element;
  }

  getChildren(): vscode.TreeItem[] {
    return [];
  }

  dispose(): void {
    this._onDidChangeTreeData.dispose();
  }
}
