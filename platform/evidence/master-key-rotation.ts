import type { PlatformContext } from '../context';
import { FileMasterKeys } from '../crypto/master-keys';

/**
 * Finishes a master-key rotation that was cut short: every data key still wrapped under an older master
 * key is re-wrapped under the current one, and only then are the older keys dropped from the key file.
 * Safe to run at every start; does nothing when there is nothing to finish.
 */
export async function finishMasterKeyRotation(
  ctx: PlatformContext,
  onProgress?: (rewrapped: number) => void,
): Promise<number> {
  if (ctx.masterKeys.keyIds().length <= 1) return 0;
  const rewrapped = await ctx.evidenceKeys.rewrapAll(onProgress);
  // Dropped only once nothing is wrapped under them any more: a key dropped early would lose evidence.
  const left = await ctx.stores.tenantKeys.wrappedUnderOtherKeys(ctx.masterKeys.currentKeyId());
  if (left.length === 0 && ctx.masterKeys instanceof FileMasterKeys) ctx.masterKeys.dropAllButCurrent();
  return rewrapped;
}

/** Rotates the evidence master key: a new key, every tenant's data key re-wrapped, the old key dropped. */
export async function rotateMasterKey(
  ctx: PlatformContext,
  onProgress?: (rewrapped: number) => void,
): Promise<{ keyId: string; rewrapped: number }> {
  if (!(ctx.masterKeys instanceof FileMasterKeys)) {
    throw new Error("This platform's master key is held elsewhere (a KMS): rotate it there.");
  }
  const finished = await finishMasterKeyRotation(ctx, onProgress);
  const keyId = ctx.masterKeys.addKey();
  const rewrapped = await finishMasterKeyRotation(ctx, (n) => onProgress?.(finished + n));
  return { keyId, rewrapped: finished + rewrapped };
}
