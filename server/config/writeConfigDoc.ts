import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigTable } from './configDoc.js';

/** `npm run docs:config`: rewrite the settings table of docs/configuration.md from SETTINGS. */
const file = new URL('../../docs/configuration.md', import.meta.url);
const doc = readFileSync(file, 'utf8');
const start = doc.indexOf('| environment variable |');
const end = doc.indexOf('\n\n', start);
if (start === -1 || end === -1) throw new Error('docs/configuration.md has no settings table to replace');
writeFileSync(file, `${doc.slice(0, start)}${renderConfigTable()}${doc.slice(end)}`);
process.stdout.write('docs/configuration.md: settings table rewritten\n');
