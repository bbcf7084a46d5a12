import type { TreeNode } from './tree-node';

/**
 * Whether a node's name is safe to create inside a folder: a tree comes from storage Tend does
 * not control, so `..`, `.`, empty names, separators and NUL are refused, and names that are
 * not UTF-8 are passed over (restore-side counterpart of DESIGN §3's path confinement).
 */
export function unsafeNodeName(node: Pick<TreeNode, 'name' | 'nameUnreadable'>): string | null {
  if (node.nameUnreadable) return 'its name is not UTF-8';
  const name = node.name;
  if (name === '' || name === '.' || name === '..') return `the name "${name}" is not a file name`;
  if (name.includes('/') || name.includes('\\') || name.includes('\0')) {
    return `the name "${name}" holds a path separator`;
  }
  return null;
}
