import { renderConfigTable } from './configDoc.js';

process.stdout.write(`${renderConfigTable()}\n`);
