import { hashPassword } from './passwords.js';

/**
 * `npm run -s hash-password`: reads a password without echoing it (asked twice at a terminal; piped, the first
 * line) and prints its scrypt hash for the users file's `password_hash`. The password never appears in the
 * shell history, the process list or the output.
 */

const MIN_LENGTH = 8;

async function main(): Promise<void> {
  const password = process.stdin.isTTY ? await askTwice() : await readPiped();
  if (password.length < MIN_LENGTH) fail(`the password must be at least ${MIN_LENGTH} characters`);
  process.stdout.write(`${await hashPassword(password)}\n`);
}

async function askTwice(): Promise<string> {
  const first = await readHidden('Password: ');
  const second = await readHidden('Again: ');
  if (first !== second) fail('the two passwords differ');
  return first;
}

/** One line typed at the terminal, nothing echoed; backspace edits, Ctrl-C stops. */
function readHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  // Raw mode before the prompt: anything typed after the prompt appears is never echoed by the terminal.
  input.setRawMode(true);
  process.stderr.write(prompt);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve) => {
    let typed = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\u0003') {
          input.setRawMode(false);
          process.stderr.write('\n');
          process.exit(130);
        }
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          input.off('data', onData);
          input.setRawMode(false);
          input.pause();
          process.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch >= ' ') typed += ch;
      }
    };
    input.on('data', onData);
  });
}

async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (/[\r\n]/.test(text)) fail('give one password, on one line');
  return text;
}

function fail(message: string): never {
  process.stderr.write(`hash-password: ${message}\n`);
  process.exit(1);
}

main().catch((err: unknown) => {
  fail((err as Error).message);
});
