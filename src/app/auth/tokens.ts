import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client';
import { cachedTokenRead } from '../decisions/evidence-cache';
import type { Identity, RoleName } from './identity';

/**
 * API tokens: `fp_` + 43 base64url characters (32 random bytes). Only the sha256 is stored; the token
 * is shown once at creation. Lookups go by hash, and the found hash is compared again in constant
 * time so the comparison itself leaks nothing.
 */
const TOKEN_PREFIX = 'fp_';
const TOKEN_BODY_LENGTH = 43;
const TOKEN_PATTERN = /^fp_[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function generateToken(): string {
  const body = randomBytes(32).toString('base64url');
  if (body.length !== TOKEN_BODY_LENGTH) throw new Error('unexpected token length');
  return TOKEN_PREFIX + body;
}

export interface CreatedToken {
  id: string;
  token: string;
  role: RoleName;
  name: string;
}

export async function createApiToken(
  prisma: PrismaClient,
  options: { name: string; role: RoleName; boxSlug?: string },
): Promise<CreatedToken> {
  let boxId: string | null = null;
  if (options.role === 'RUNNER') {
    if (!options.boxSlug)
      throw new Error('A runner token is scoped to one box: pass --box <slug>, e.g. --box dgx-spark.');
    const box = await prisma.box.findUnique({ where: { slug: options.boxSlug } });
    if (!box)
      throw new Error(
        `No box "${options.boxSlug}". Known boxes: ${(await prisma.box.findMany()).map((b) => b.slug).join(', ')}.`,
      );
    boxId = box.id;
  } else if (options.boxSlug) {
    throw new Error('Only runner tokens are scoped to a box; drop --box for this role.');
  }
  const token = generateToken();
  const row = await prisma.apiToken.create({
    data: { name: options.name, role: options.role, tokenHash: hashToken(token), boxId },
  });
  return { id: row.id, token, role: options.role, name: options.name };
}

export type TokenCheck =
  | { kind: 'none' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'ok'; identity: Identity };

/**
 * A token's last use is written at most this often (`token list` shows it to the minute): one
 * UPDATE per token per interval, not one per request.
 */
export const LAST_USED_RESOLUTION_MS = 5 * 60_000;

/**
 * Resolves an Authorization header to an identity. Malformed tokens of any length are a clean
 * "invalid". In the API the row is kept between requests until any token changes (see
 * `cachedTokenRead`), so a request costs no lookup; a revocation is seen as soon as it is notified.
 */
export async function authenticate(prisma: PrismaClient, authorization: string | null): Promise<TokenCheck> {
  if (!authorization) return { kind: 'none' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) return { kind: 'invalid', reason: 'Authorization must be "Bearer <token>".' };
  const token = match[1];
  if (!TOKEN_PATTERN.test(token)) return { kind: 'invalid', reason: 'That is not a floorplan API token.' };
  const presentedHash = hashToken(token);
  const row = await cachedTokenRead(prisma, presentedHash, () =>
    prisma.apiToken.findUnique({
      where: { tokenHash: presentedHash },
      select: {
        id: true,
        name: true,
        role: true,
        boxId: true,
        tokenHash: true,
        revokedAt: true,
        lastUsedAt: true,
      },
    }),
  );
  if (
    !row ||
    row.revokedAt ||
    !timingSafeEqual(Buffer.from(row.tokenHash, 'hex'), Buffer.from(presentedHash, 'hex'))
  ) {
    return { kind: 'invalid', reason: 'Unknown or revoked API token.' };
  }
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // The kept row remembers it too, so the next requests in this interval write nothing. A failed
    // write (the database away) does not refuse a valid token: only `token list` misses one use.
    row.lastUsedAt = now;
    await prisma.apiToken
      .update({ where: { id: row.id }, data: { lastUsedAt: now }, select: { id: true } })
      .catch(() => undefined);
  }
  return { kind: 'ok', identity: { tokenId: row.id, name: row.name, role: row.role, boxId: row.boxId } };
}
