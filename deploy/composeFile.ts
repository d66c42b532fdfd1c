import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * docker-compose.yml read the way Compose reads it, for the deployment tests: YAML merge keys (`<<: *anchor`)
 * resolved, and `${NAME:-default}` / `${NAME-default}` / `${NAME}` interpolated as on a machine where none of
 * those variables is set — what a bare `docker compose up` runs with.
 */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type ComposeService = {
  image?: string;
  build?: { context: string; dockerfile?: string };
  hostname?: string;
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  network_mode?: string;
  restart?: string;
};

export type ComposeFile = { name?: string; services: Record<string, ComposeService>; volumes?: Record<string, unknown> };

export function loadCompose(file = path.join(REPO_ROOT, 'docker-compose.yml')): ComposeFile {
  return parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;
}

/** A value as Compose interpolates it when no variable is set: each reference becomes its default, or "". */
export function withDefaults(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_m, _name: string, fallback: string | undefined) => fallback ?? '');
}

/** A service's environment, interpolated with defaults, as strings. */
export function environmentOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, withDefaults(String(v ?? ''))]));
}

export type Mount = { source: string; target: string; readOnly: boolean; bind: boolean };

/** The service's volumes in short syntax: a bind mount when the source is a path, else a named volume. */
export function mountsOf(service: ComposeService): Mount[] {
  return (service.volumes ?? []).map((spec) => {
    const [source = '', target = '', mode] = spec.split(':');
    return { source, target, readOnly: mode === 'ro', bind: source.startsWith('.') || source.startsWith('/') };
  });
}

/** The repository file a bind mount's source names (relative to docker-compose.yml). */
export function hostPath(mount: Mount): string {
  return path.resolve(REPO_ROOT, mount.source);
}
