/** One popup at a time (menus, filter, column chooser), anchored to an element or a point; Escape or a click outside closes it. */
import { el, icon } from './dom';

let current: { node: HTMLElement; onClose?: () => void; restoreFocus: Element | null } | undefined;

export function closePopup(): void {
  const c = current;
  current = undefined;
  if (c) {
    c.node.remove();
    c.onClose?.();
    if (c.restoreFocus instanceof HTMLElement && c.restoreFocus.isConnected) {
      c.restoreFocus.focus();
    }
  }
}

export function isPopupOpen(): boolean {
  return current !== undefined;
}

export function openPopup(content: HTMLElement, anchor: HTMLElement | { x: number; y: number }, options: { label: string; onClose?: () => void; className?: string }): HTMLElement {
  closePopup();
  const node = el('div', { className: `popup${options.className ? ` ${options.className}` : ''}`, attrs: { role: 'dialog', 'aria-label': options.label } }, [content]);
  current = { node, onClose: options.onClose, restoreFocus: document.activeElement };
  document.body.append(node);
  const box = anchor instanceof HTMLElement ? anchor.getBoundingClientRect() : { left: anchor.x, bottom: anchor.y };
  const left = Math.max(4, Math.min(box.left, window.innerWidth - node.offsetWidth - 4));
  const top = Math.max(4, Math.min(box.bottom + 2, window.innerHeight - node.offsetHeight - 4));
  node.style.left = `${left}px`;
  node.style.top = `${top}px`;
  node.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      closePopup();
    }
  });
  const first = node.querySelector<HTMLElement>('input, select, button, [tabindex="0"]');
  first?.focus();
  return node;
}

document.addEventListener('mousedown', (e) => {
  if (current && !current.node.contains(e.target as Node)) {
    closePopup();
  }
});

export interface MenuItem {
  readonly label: string;
  readonly icon?: string;
  readonly keybinding?: string;
  readonly disabled?: boolean;
  readonly run: () => void;
}

/** A keyboard-navigable menu (Up/Down/Enter/Escape). */
export function openMenu(items: readonly (MenuItem | 'separator')[], anchor: HTMLElement | { x: number; y: number }, label: string): void {
  const list = el('div', { className: 'menu', attrs: { role: 'menu', 'aria-label': label } });
  const buttons: HTMLButtonElement[] = [];
  for (const item of items) {
    if (item === 'separator') {
      list.append(el('div', { className: 'menu-sep', attrs: { role: 'separator' } }));
      continue;
    }
    const b = el('button', { className: 'menu-item', attrs: { type: 'button', role: 'menuitem' } }, [
      item.icon ? icon(item.icon) : el('span', { className: 'codicon-spacer' }),
      el('span', { className: 'menu-label', text: item.label }),
      el('span', { className: 'menu-key', text: item.keybinding ?? '' }),
    ]);
    b.disabled = item.disabled ?? false;
    b.addEventListener('click', () => {
      closePopup();
      item.run();
    });
    buttons.push(b);
    list.append(b);
  }
  list.addEventListener('keydown', (e) => {
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      buttons[(i + step + buttons.length) % buttons.length]?.focus();
    }
  });
  openPopup(list, anchor, { label, className: 'menu-popup' });
}
