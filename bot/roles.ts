/**
 * Who may trigger, cancel or edit. Roles map to Slack user ids from the environment, never to display
 * names, which any user can change to impersonate someone.
 */
export type BotRole = 'admin' | 'operator' | 'viewer';

export interface RoleDirectory {
  roleOf(userId: string): BotRole;
  canOperate(userId: string): boolean;
  /** A polite sentence for refusals: who can do it, as Slack mentions of their ids. */
  whoCanOperate(): string;
}

export function createRoleDirectory(
  operatorUserIds: readonly string[],
  adminUserIds: readonly string[],
): RoleDirectory {
  const admins = new Set(adminUserIds);
  const operators = new Set(operatorUserIds);
  const roleOf = (userId: string): BotRole => {
    if (admins.has(userId)) return 'admin';
    if (operators.has(userId)) return 'operator';
    return 'viewer';
  };
  return {
    roleOf,
    canOperate: (userId) => roleOf(userId) !== 'viewer',
    whoCanOperate: () => {
      const everyone = [...new Set([...operatorUserIds, ...adminUserIds])];
      if (everyone.length === 0) {
        return 'No operators are configured yet: an admin can add Slack user ids to FLOORPLAN_OPERATORS.';
      }
      const shown = everyone.slice(0, 10).map((id) => `<@${id}>`);
      const more = everyone.length > shown.length ? ` and ${everyone.length - shown.length} more` : '';
      return `Operators who can: ${shown.join(', ')}${more}.`;
    },
  };
}
