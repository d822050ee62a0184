import { randomBytes } from 'node:crypto';
import { AccessControl } from './access/access-control';
import { Authentication } from './access/authentication';
import { AccessTokens } from './auth/access-tokens';
import { Sessions } from './auth/sessions';
import { type Clock, systemClock } from './clock';
import { SealedBox } from './crypto/sealed-box';
import { DataDir } from './data-dir';
import { openDatabase } from './db/database';
import { createStores, type Stores } from './db/stores';
import { ApiKeyService } from './keys/api-key-service';

/** Everything a request handler may use, wired once per server from a data directory. */
export interface PlatformContext {
  readonly dataDir: DataDir;
  readonly clock: Clock;
  readonly stores: Stores;
  readonly sealedBox: SealedBox;
  readonly sessions: Sessions;
  readonly authentication: Authentication;
  readonly access: AccessControl;
  readonly apiKeys: ApiKeyService;
  close(): void;
}

export function createContext(dataPath: string, clock: Clock = systemClock): PlatformContext {
  const dataDir = new DataDir(dataPath);
  const db = openDatabase(dataDir.databaseFile);
  const stores = createStores(db);
  const sealedBox = new SealedBox(dataDir.secretFile('seal.key', () => randomBytes(32)));
  const tokens = new AccessTokens(dataDir);
  const apiKeys = new ApiKeyService(stores, clock);
  return {
    dataDir,
    clock,
    stores,
    sealedBox,
    sessions: new Sessions(stores, tokens, sealedBox, clock),
    authentication: new Authentication(stores, tokens, apiKeys, clock),
    access: new AccessControl(stores),
    apiKeys,
    close: () => db.close(),
  };
}
