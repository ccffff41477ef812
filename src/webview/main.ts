// Placeholder entry for the results-table webview; the table itself arrives with the results-table issue.
// It exists now so the webview bundle, its tsconfig (DOM lib) and its CSP template are wired from day one.
const root = document.getElementById('root');
if (root) {
  root.textContent = 'Results will appear here.';
}
