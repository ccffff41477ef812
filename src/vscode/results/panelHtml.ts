import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Folder of the webview bundle (script, styles, codicon font); the only local resource root. */
export function bundleRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'media', 'dist');
}

/** Webview options for results panels: scripts on, local files only from the bundle folder, no retained context. */
export function resultsWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [bundleRoot(extensionUri)],
  };
}

/** Only characters that cannot break out of an attribute value. */
function attr(value: string): string {
  return value.replace(/[&"'<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The one HTML page of the results webview. The CSP allows nothing by default: scripts only with this
 * page's nonce, styles and fonts only from the bundle folder (no inline styles: the script sizes columns
 * through the CSSOM, which CSP allows), no network at all. No data is in the page: it arrives as messages.
 */
export function resultsHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce = randomBytes(16).toString('base64')): string {
  const root = bundleRoot(extensionUri);
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'webview.js')).toString();
  const styles = webview.asWebviewUri(vscode.Uri.joinPath(root, 'webview.css')).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(styles)}">
<title>Results</title>
</head>
<body>
<div id="root" class="results-root"></div>
<script nonce="${attr(nonce)}" src="${attr(script)}"></script>
</body>
</html>`;
}
