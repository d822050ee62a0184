import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import type { DataDir } from '../data-dir';

export const ACCESS_TOKEN_TTL_SECONDS = 600;
const ISSUER = 'compliance-platform';
const AUDIENCE = 'compliance-platform-api';

export interface AccessClaims {
  readonly userId: string;
  readonly familyId: string;
}

/** Short-lived EdDSA JWTs. Revocation is by token family, which the access layer checks on every request. */
export class AccessTokens {
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  /**
   * Tokens whose signature was already checked, with their expiry: checking an Ed25519 signature on
   * every request costs more than the rest of authentication. Revocation is still checked each time.
   */
  readonly #verified = new Map<string, AccessClaims & { expiresAt: number }>();

  constructor(dataDir: DataDir) {
    const pem = dataDir.secretFile('token-signing-key.pem', () =>
      Buffer.from(generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' })),
    );
    this.#privateKey = createPrivateKey(pem);
    this.#publicKey = createPublicKey(this.#privateKey);
  }

  issue(claims: AccessClaims, now: number): Promise<string> {
    const issuedAt = Math.floor(now / 1000);
    return new SignJWT({ sid: claims.familyId })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(claims.userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ACCESS_TOKEN_TTL_SECONDS)
      .sign(this.#privateKey);
  }

  /**
   * The OpenID Connect ID token of a browser sign-in: who signed in, for which client, bound to the
   * client's nonce. Signed with the same key as access tokens, published at the JWKS endpoint.
   */
  async idToken(
    claims: { issuer: string; userId: string; clientId: string; nonce: string; authTime: number },
    now: number,
  ): Promise<string> {
    const issuedAt = Math.floor(now / 1000);
    return new SignJWT({
      nonce: claims.nonce,
      auth_time: Math.floor(claims.authTime / 1000),
      amr: ['pwd', 'otp'],
    })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: await this.keyId() })
      .setIssuer(claims.issuer)
      .setAudience(claims.clientId)
      .setSubject(claims.userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ACCESS_TOKEN_TTL_SECONDS)
      .sign(this.#privateKey);
  }

  /** The public half as a JWK set, for whoever checks ID tokens. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const jwk = await exportJWK(this.#publicKey);
    return { keys: [{ ...jwk, kid: await this.keyId(), alg: 'EdDSA', use: 'sig' }] };
  }

  async keyId(): Promise<string> {
    return calculateJwkThumbprint(await exportJWK(this.#publicKey));
  }

  async verify(token: string, now: number): Promise<AccessClaims | undefined> {
    const known = this.#verified.get(token);
    if (known) {
      if (known.expiresAt > now) return { userId: known.userId, familyId: known.familyId };
      this.#verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, this.#publicKey, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['EdDSA'],
        typ: 'at+jwt',
        currentDate: new Date(now),
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return undefined;
      const claims = { userId: payload.sub, familyId: payload.sid };
      if (this.#verified.size >= 10_000) this.#verified.clear();
      this.#verified.set(token, { ...claims, expiresAt: (payload.exp ?? 0) * 1000 });
      return claims;
    } catch {
      return undefined;
    }
  }
}
