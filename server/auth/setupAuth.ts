import type { Config } from '../config/config.js';
import { apiTokenRing } from './apiTokens.js';
import { createAuthenticator, type Authenticator } from './authenticator.js';
import { resolveSessionSecret } from './sessions.js';
import { createRevocations, type RevocationStore } from './revocations.js';
import { openUserDirectory, type UsersChange } from './users.js';

type Logger = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

export type AuthConfig = Pick<Config, 'usersFile' | 'users' | 'apiTokens' | 'sessionSecret' | 'sessionTtlMs' | 'trustProxy' | 'dataDir' | 'ingestTokens'>;

/**
 * Access control from the configuration, at start: users checked (a problem throws ConfigError naming it, so the
 * start stops), API tokens digested, the session key read or made. Logs where users come from, and warns when
 * nobody can sign in. `onUsersChanged` hears what each new version of the users file changed.
 */
export async function setupAuth(
  config: AuthConfig,
  logger: Logger,
  options: { onUsersChanged?: (change: UsersChange) => void; revocations?: RevocationStore } = {},
): Promise<Authenticator> {
  const users = await openUserDirectory({
    usersFile: config.usersFile,
    users: config.users,
    onProblem: (message) => logger.error({}, message),
    ...(options.onUsersChanged === undefined ? {} : { onChange: options.onUsersChanged }),
  });
  const apiTokens = apiTokenRing(config.apiTokens);
  const secret = await resolveSessionSecret({ sessionSecret: config.sessionSecret, dataDir: config.dataDir });
  const revocations = options.revocations === undefined ? undefined : createRevocations({ store: options.revocations, logger });
  const auth = await createAuthenticator({
    users,
    apiTokens,
    ingestKeys: config.ingestTokens,
    secret,
    sessionTtlMs: config.sessionTtlMs,
    trustProxy: config.trustProxy,
    ...(revocations === undefined ? {} : { revocations }),
  });
  if (users.sample() === undefined && apiTokens.size === 0) {
    logger.warn({}, 'access control: no users and no API tokens, so nobody can sign in; set FLOWLENS_USERS_FILE (see docs/configuration.md)');
  } else {
    logger.info({ users: users.source, apiTokens: apiTokens.size, trustProxy: config.trustProxy }, 'access control ready');
  }
  return auth;
}
