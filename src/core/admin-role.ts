/** The roles an admin key can carry. The bootstrap key (SWITCHYARD_ADMIN_KEY or the generated one) is `admin`. */
export const adminRoles = ['admin', 'finance', 'viewer'] as const;

export type AdminRole = (typeof adminRoles)[number];

export function isAdminRole(value: unknown): value is AdminRole {
  return typeof value === 'string' && (adminRoles as readonly string[]).includes(value);
}
