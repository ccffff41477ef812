/**
 * The only way the webview builds DOM: elements with text set through textContent and attributes through
 * setAttribute (never innerHTML), so hostile strings in the data stay inert text.
 */
export interface ElOptions {
  readonly className?: string;
  readonly text?: string;
  readonly title?: string;
  readonly attrs?: Readonly<Record<string, string>>;
  readonly on?: { readonly [K in keyof HTMLElementEventMap]?: (ev: HTMLElementEventMap[K]) => void };
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElOptions = {}, children: readonly (Node | string)[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) {
    node.className = options.className;
  }
  if (options.text !== undefined) {
    node.textContent = options.text;
  }
  if (options.title !== undefined) {
    node.title = options.title;
  }
  for (const [k, v] of Object.entries(options.attrs ?? {})) {
    node.setAttribute(k, v);
  }
  for (const [type, handler] of Object.entries(options.on ?? {})) {
    node.addEventListener(type, handler as EventListener);
  }
  for (const c of children) {
    node.append(c);
  }
  return node;
}

/** A codicon (from @vscode/codicons, bundled with the page). */
export function icon(name: string, extra = ''): HTMLElement {
  return el('span', { className: `codicon codicon-${name}${extra ? ` ${extra}` : ''}`, attrs: { 'aria-hidden': 'true' } });
}

/** A toolbar-style button: icon, optional label, tooltip (also its accessible name). */
export function button(label: string, options: { icon?: string; title?: string; onClick: (ev: MouseEvent) => void; className?: string; showLabel?: boolean }): HTMLButtonElement {
  const b = el('button', {
    className: `btn${options.className ? ` ${options.className}` : ''}`,
    title: options.title ?? label,
    attrs: { type: 'button', 'aria-label': options.title ?? label },
    on: { click: options.onClick },
  });
  if (options.icon) {
    b.append(icon(options.icon));
  }
  if (options.showLabel !== false) {
    b.append(el('span', { text: label }));
  }
  return b;
}

export function select<T extends string>(label: string, values: readonly { value: T; label: string }[], current: T, onChange: (v: T) => void): HTMLSelectElement {
  const s = el('select', { className: 'select', title: label, attrs: { 'aria-label': label } });
  for (const v of values) {
    const o = el('option', { text: v.label, attrs: { value: v.value } });
    o.selected = v.value === current;
    s.append(o);
  }
  s.addEventListener('change', () => onChange(s.value as T));
  return s;
}
