import { SETTINGS } from './config.js';

/** The settings table of docs/configuration.md, rendered from SETTINGS so the two cannot drift apart. */
export function renderConfigTable(): string {
  const rows = Object.values(SETTINGS).map((s) => {
    const fallback = 'default' in s ? JSON.stringify(s.default) : '(unset)';
    return `| \`${s.env}\` | \`${s.file}\` | \`${fallback}\` | ${s.doc} |`;
  });
  return ['| environment variable | config file key | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
