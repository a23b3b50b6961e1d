import type { Role } from '../../generated/prisma/enums';

export type RoleName = Role;

/** Who is calling: a token's name and role. Every service that checks or records a caller takes one. */
export interface Identity {
  tokenId: string;
  name: string;
  role: RoleName;
  /** Runner tokens are scoped to one box; null for every other role. */
  boxId: string | null;
}

/** How an actor is named in audit rows: by token name, never by anything the caller claims. */
export function actorOf(identity: Identity | null): string {
  return identity ? `token:${identity.name}` : 'anonymous';
}

/** The CLI acts as the operator at the keyboard: it holds the database itself, so it is trusted. */
export const LOCAL_CLI_IDENTITY: Identity = { tokenId: 'local', name: 'cli', role: 'ADMIN', boxId: null };
