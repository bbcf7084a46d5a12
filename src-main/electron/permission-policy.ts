/**
 * Whether a page may have a web permission (camera, notifications, clipboard, geolocation …).
 *
 * Always no: Tend's pages need none of them, and desktop notifications come from the main
 * process, which needs no page permission. Takes the permission only so a later exception
 * is one line with its test beside it.
 */
export function isPermissionGranted(_permission: string): boolean {
  return false;
}
