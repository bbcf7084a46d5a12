import { Notification } from 'electron';

/**
 * Shows a desktop notification when the system supports them; `onClick` runs when the user
 * clicks it. Main-process notifications need no page permission.
 */
export function notify(title: string, body: string, onClick?: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title, body, silent: false });
  if (onClick) notification.on('click', onClick);
  notification.show();
}
